"""Demo organisation: one city, one ward, two schools, classes of grades 6–9, their people."""

from __future__ import annotations

import random
from datetime import date

import sqlalchemy as sa

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import (
    Classroom,
    Enrollment,
    ParentLink,
    Province,
    ReviewPolicy,
    Role,
    School,
    SchoolLevel,
    User,
    Ward,
)
from app.models.org import school_year_for

DEMO_ACCOUNTS = [
    ("demo-student", "học sinh lớp 6A1"),
    ("demo-teacher", "giáo viên chủ nhiệm 6A1 và 8A1"),
    ("demo-school-admin", "ban giám hiệu Trường THCS Dương Quan"),
    ("demo-ward", "cán bộ UBND phường"),
    ("demo-city", "cán bộ Sở GD&ĐT Hải Phòng"),
    ("demo-parent", "phụ huynh của demo-student"),
    ("demo-admin", "quản trị hệ thống"),
]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Gia", "Bảo", "Khánh", "Hải"]
GIVEN_NAMES = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hiếu", "Hoa", "Huy", "Khoa", "Lan",
    "Linh", "Long", "Mai", "Nam", "Ngân", "Phúc", "Quân", "Thảo", "Trang", "Tuấn", "Vy",
]  # fmt: skip

SCHOOLS = [
    {
        "key": "dq",
        "name": "Trường THCS Dương Quan",
        "level": SchoolLevel.LOWER_SECONDARY,
        "classes": [("6A1", 6), ("7A1", 7), ("8A1", 8), ("9A1", 9)],
    },
    {
        "key": "hd",
        "name": "Trường TH&THCS Hoa Động",
        "level": SchoolLevel.PRIMARY_AND_LOWER_SECONDARY,
        "classes": [("6A", 6), ("8A", 8)],
    },
]
STUDENTS_PER_CLASS = 8


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _user(username: str, password_hash: str, **fields) -> User:
    """Create the account if missing; an existing one is left as it is."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=password_hash, **fields)
        db.session.add(user)
        db.session.flush()
    return user


def _get_or_create(model, defaults: dict | None = None, **keys):
    obj = db.session.scalar(sa.select(model).filter_by(**keys))
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
    return obj


def load(context: dict) -> None:
    from app.demo import DEMO_PASSWORD

    rng = random.Random(2025)  # noqa: S311 - deterministic demo names, not security
    password_hash = hash_password(DEMO_PASSWORD)
    year = school_year_for(date.today())

    province = _get_or_create(Province, name="Hải Phòng")
    ward = _get_or_create(Ward, code="thuy-nguyen", defaults={"name": "Phường Thủy Nguyên"})
    ward.province_id = province.id
    _user(
        "demo-city", password_hash, full_name="Vũ Thị Thanh", role=Role.CITY_OFFICER,
        province_id=province.id,
    )  # fmt: skip
    _user(
        "demo-ward", password_hash, full_name="Lê Văn Khoa", role=Role.WARD_OFFICER, ward_id=ward.id
    )
    _user("demo-admin", password_hash, full_name="Quản trị hệ thống", role=Role.ADMIN)

    for spec in SCHOOLS:
        school = _get_or_create(
            School,
            ward_id=ward.id,
            name=spec["name"],
            defaults={"level": spec["level"], "review_policy": ReviewPolicy.CONFIRM_FIRST},
        )
        key = spec["key"]
        context.setdefault("schools", []).append(school)
        if key == "dq":
            admin = _user(
                "demo-school-admin", password_hash, full_name="Phạm Hồng Hải",
                role=Role.SCHOOL_ADMIN, school_id=school.id,
            )  # fmt: skip
            demo_teacher = _user(
                "demo-teacher", password_hash, full_name="Nguyễn Thu Hà",
                role=Role.TEACHER, school_id=school.id,
            )  # fmt: skip
            context["school"], context["school_admin"], context["teacher"] = (
                school,
                admin,
                demo_teacher,
            )
        else:
            _user(f"{key}-hieu-truong", password_hash, full_name=_name(rng),
                  role=Role.SCHOOL_ADMIN, school_id=school.id)  # fmt: skip
        _user(f"{key}-nhan-vien", password_hash, full_name=_name(rng), role=Role.STAFF,
              school_id=school.id)  # fmt: skip

        for class_name, grade in spec["classes"]:
            slug = class_name.lower()
            if key == "dq" and class_name in {"6A1", "8A1"}:
                teacher = context["teacher"]
            else:
                teacher = _user(f"{key}-gv-{slug}", password_hash, full_name=_name(rng),
                                role=Role.TEACHER, school_id=school.id)  # fmt: skip
            classroom = _get_or_create(
                Classroom,
                school_id=school.id,
                school_year=year,
                name=class_name,
                defaults={"grade": grade, "homeroom_teacher_id": teacher.id},
            )
            for n in range(1, STUDENTS_PER_CLASS + 1):
                username = f"{key}-{slug}-{n:02d}"
                if key == "dq" and class_name == "6A1" and n == 1:
                    username = "demo-student"
                student = _user(
                    username, password_hash, full_name=_name(rng), role=Role.STUDENT,
                    school_id=school.id, birth_year=date.today().year - grade - 6,
                )  # fmt: skip
                _get_or_create(Enrollment, classroom_id=classroom.id, student_id=student.id)
                context.setdefault("students", []).append(student)

    dq = context["school"]
    demo_student = db.session.scalar(sa.select(User).where(User.username == "demo-student"))
    sibling = db.session.scalar(sa.select(User).where(User.username == "dq-8a1-01"))
    parent = _user("demo-parent", password_hash, full_name="Trần Thị Mai", role=Role.PARENT,
                   school_id=dq.id, birth_year=1982)  # fmt: skip
    for child in (demo_student, sibling):
        _get_or_create(ParentLink, parent_id=parent.id, student_id=child.id,
                       defaults={"relation": "mẹ"})  # fmt: skip
    context.update(student=demo_student, parent=parent, ward=ward)
