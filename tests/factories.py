"""Small factories for tests: each returns a committed object with sensible defaults."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import (
    Classroom,
    Enrollment,
    ParentLink,
    Province,
    Role,
    School,
    SchoolLevel,
    User,
    Ward,
)

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def province(name: str | None = None) -> Province:
    obj = Province(name=name or f"Tỉnh Thử Nghiệm {next(_seq)}")
    db.session.add(obj)
    db.session.commit()
    return obj


def ward(name: str = "Phường Thử Nghiệm", province_obj: Province | None = None) -> Ward:
    obj = Ward(
        name=name, code=f"ward-{next(_seq)}", province_id=province_obj.id if province_obj else None
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def school(ward_obj: Ward | None = None, name: str | None = None, **fields) -> School:
    obj = School(
        ward=ward_obj or ward(),
        name=name or f"Trường THCS Số {next(_seq)}",
        level=fields.pop("level", SchoolLevel.LOWER_SECONDARY),
        **fields,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def user(role: Role = Role.STUDENT, school_obj: School | None = None, **fields) -> User:
    n = next(_seq)
    obj = User(
        username=fields.pop("username", f"{role.value}-{n}"),
        password_hash=_hash(fields.pop("password", PASSWORD)),
        full_name=fields.pop("full_name", f"Người Dùng {n}"),
        role=role,
        school_id=school_obj.id if school_obj else fields.pop("school_id", None),
        **fields,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def classroom(
    school_obj: School, teacher: User | None = None, name: str = "6A1", grade: int = 6,
    school_year: str = "2025-2026",
) -> Classroom:  # fmt: skip
    obj = Classroom(
        school_id=school_obj.id,
        name=name,
        grade=grade,
        school_year=school_year,
        homeroom_teacher_id=teacher.id if teacher else None,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def enrol(student: User, classroom_obj: Classroom) -> Enrollment:
    obj = Enrollment(student_id=student.id, classroom_id=classroom_obj.id)
    db.session.add(obj)
    db.session.commit()
    return obj


def link_parent(parent: User, student: User, relation: str = "mẹ") -> ParentLink:
    obj = ParentLink(parent_id=parent.id, student_id=student.id, relation=relation)
    db.session.add(obj)
    db.session.commit()
    return obj


@dataclass
class SmallWorld:
    ward: Ward
    school: School
    other_school: School
    classroom: Classroom
    other_classroom: Classroom
    student: User
    classmate: User
    other_student: User
    teacher: User
    other_teacher: User
    staff: User
    school_admin: User
    other_school_admin: User
    ward_officer: User
    parent: User
    admin: User
    province: Province | None = None
    city_officer: User | None = None

    def by_role(self) -> dict[Role, User]:
        return {
            Role.STUDENT: self.student,
            Role.STAFF: self.staff,
            Role.TEACHER: self.teacher,
            Role.SCHOOL_ADMIN: self.school_admin,
            Role.WARD_OFFICER: self.ward_officer,
            Role.CITY_OFFICER: self.city_officer,
            Role.PARENT: self.parent,
            Role.ADMIN: self.admin,
        }


def small_world() -> SmallWorld:
    p = province("Hải Phòng")
    w = ward(province_obj=p)
    s1 = school(w, name="Trường THCS Dương Quan")
    s2 = school(w, name="Trường THCS Hoa Động")
    teacher = user(Role.TEACHER, s1, username="gv-ha", full_name="Nguyễn Thu Hà")
    other_teacher = user(Role.TEACHER, s2, username="gv-khac", full_name="Lê Văn Bình")
    c1 = classroom(s1, teacher, name="6A1", grade=6)
    c2 = classroom(s2, other_teacher, name="6A", grade=6)
    student = user(Role.STUDENT, s1, username="hs-an", full_name="Trần Minh An")
    classmate = user(Role.STUDENT, s1, username="hs-chi", full_name="Phạm Ngọc Chi")
    other_student = user(Role.STUDENT, s2, username="hs-khac", full_name="Đỗ Gia Huy")
    enrol(student, c1)
    enrol(classmate, c1)
    enrol(other_student, c2)
    parent = user(Role.PARENT, s1, username="ph-mai", full_name="Trần Thị Mai")
    link_parent(parent, student)
    return SmallWorld(
        ward=w,
        school=s1,
        other_school=s2,
        classroom=c1,
        other_classroom=c2,
        student=student,
        classmate=classmate,
        other_student=other_student,
        teacher=teacher,
        other_teacher=other_teacher,
        staff=user(Role.STAFF, s1, username="nv-lan"),
        school_admin=user(Role.SCHOOL_ADMIN, s1, username="bgh-hai"),
        other_school_admin=user(Role.SCHOOL_ADMIN, s2, username="bgh-khac"),
        ward_officer=user(Role.WARD_OFFICER, ward_id=w.id, username="phuong-khoa"),
        parent=parent,
        admin=user(Role.ADMIN, username="quan-tri"),
        province=p,
        city_officer=user(Role.CITY_OFFICER, province_id=p.id, username="so-giao-duc"),
    )
