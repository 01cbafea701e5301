"""A small known school world for the report tests, with every figure computed by hand.

Ward W: school A "Trường THCS Dương Quan" (classes 6A1, 8A1) and school B (class 6A).

6A1 (grade 6, level TC1, teacher gv-lan):
  An    every TC1 lesson and quiz; trained R1 (scam + VNeID, confirmed)   → achieved
  Bình  every TC1 lesson and quiz; trained R2 (scam, still pending)       → not achieved
  Chi   nothing learnt; trained R3 (scam only, confirmed)                 → not achieved
  Dũng  failed hs-1-1's quiz 3 times, 10 days ago                         → needs help, inactive
8A1 (grade 8, level TC2, teacher gv-minh):
  Giang every TC2 lesson and quiz; trained R4 (scam + public services)    → achieved
  Hà    nothing                                                           → inactive
6A (school B): Huy, nothing.
Parent account "Trần Thị Mai" (school A) follows An; she is not a relative row.
Staff of A: gv-lan (staff path done), nv-tam (4 staff quizzes), gv-minh (3), bgh-a (none).
Staff of B: gv-b, bgh-b (none).

Hand-computed figures (school A): staff 2/4; students 2/6; parents 2/5 (R1, R4 of R1–R4
+ Mai). Class 6A1: 1/4 achieved, relatives R1 + R3 = 2 (R2 is pending), competences
(1 + 1 + 0 + 0)/4 → score 100 × (0.5·0.25 + 0.3·0.5 + 0.2·0.5) = 37.5. Class 8A1: 1/2,
R4 → 1/2, (1 + 0)/2 → score 100 × (0.25 + 0.15 + 0.1) = 50.0, ranked first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.content import get_content
from app.extensions import db
from app.models import (
    GuidedSession,
    LessonProgress,
    LessonStatus,
    QuizResult,
    Relative,
    RelativeLink,
    ReviewStatus,
    Role,
    SessionStatus,
)
from app.models.base import utcnow
from app.models.org import SchoolLevel
from app.models.reports import Comparison, SchoolTarget, TargetGroup, WardTarget
from app.reports.services import current_school_year
from tests import factories

SCAM, VNEID, PUBLIC = "nt-nhan-biet-lua-dao", "nt-vneid-muc-2", "nt-dich-vu-cong"


def complete_level(user, level: str, audience: str = "student", when=None) -> None:
    """Every lesson of this audience and level completed, each quiz passed."""
    when = when or utcnow() - timedelta(days=1)
    for lesson in get_content().lessons_for(audience=audience, level=level):
        db.session.add(
            LessonProgress(user_id=user.id, lesson_id=lesson.id, status=LessonStatus.COMPLETED,
                           started_at=when, completed_at=when, updated_at=when)
        )  # fmt: skip
        if lesson.quiz_id:
            db.session.add(
                QuizResult(user_id=user.id, quiz_id=lesson.quiz_id, best_score=90, passed=True,
                           attempt_count=1, failed_count=0, passed_at=when, last_attempt_at=when)
            )  # fmt: skip
    db.session.commit()


def pass_staff_quizzes(user, count: int) -> None:
    for lesson in get_content().lessons_for(audience="staff")[:count]:
        db.session.add(
            QuizResult(user_id=user.id, quiz_id=lesson.quiz_id, best_score=80, passed=True,
                       attempt_count=1, failed_count=0, passed_at=utcnow(),
                       last_attempt_at=utcnow())
        )  # fmt: skip
    db.session.commit()


def fail_quiz(user, quiz_id: str, times: int, days_ago: int) -> None:
    when = utcnow() - timedelta(days=days_ago)
    db.session.add(
        QuizResult(user_id=user.id, quiz_id=quiz_id, best_score=30, passed=False,
                   attempt_count=times, failed_count=times, last_attempt_at=when)
    )  # fmt: skip
    db.session.commit()


def train(student, name: str, walkthroughs: list[str], review=ReviewStatus.CONFIRMED) -> Relative:
    """A relative the student registered and guided through these walkthroughs (passed)."""
    relative = Relative(school_id=student.school_id, full_name=name, birth_year=1950)
    db.session.add(relative)
    db.session.flush()
    db.session.add(
        RelativeLink(student_id=student.id, relative_id=relative.id, relation="bà",
                     consent_on=date.today(), parent_informed_on=date.today())
    )  # fmt: skip
    for walkthrough in walkthroughs:
        db.session.add(
            GuidedSession(student_id=student.id, relative_id=relative.id,
                          walkthrough_id=walkthrough, walkthrough_version="v1",
                          status=SessionStatus.PASSED, review_status=review,
                          finished_at=utcnow())
        )  # fmt: skip
    db.session.commit()
    return relative


@dataclass
class ReportWorld:
    ward: object
    school: object
    other_school: object
    class_6a1: object
    class_8a1: object
    other_class: object
    students: dict
    relatives: dict
    parent: object
    teacher: object
    other_teacher: object
    school_admin: object
    other_school_admin: object
    ward_officer: object
    year: str


def build_world(class_6a1_name: str = "6A1", school_name: str = "Trường THCS Dương Quan"):
    year = current_school_year()
    ward = factories.ward("Phường Thủy Nguyên")
    school = factories.school(ward, name=school_name)
    other = factories.school(ward, name="Trường THCS Hoa Động")
    teacher = factories.user(Role.TEACHER, school, username="gv-lan", full_name="Vũ Thị Lan")
    teacher_8 = factories.user(Role.TEACHER, school, username="gv-minh", full_name="Ngô Minh")
    staff = factories.user(Role.STAFF, school, username="nv-tam", full_name="Đỗ Văn Tâm")
    admin = factories.user(Role.SCHOOL_ADMIN, school, username="bgh-a", full_name="Phạm Hải")
    other_teacher = factories.user(Role.TEACHER, other, username="gv-b", full_name="Lê Bình")
    other_admin = factories.user(Role.SCHOOL_ADMIN, other, username="bgh-b", full_name="Lê Hoa")
    officer = factories.user(Role.WARD_OFFICER, ward_id=ward.id, username="phuong-khoa")
    c6 = factories.classroom(school, teacher, name=class_6a1_name, grade=6, school_year=year)
    c8 = factories.classroom(school, teacher_8, name="8A1", grade=8, school_year=year)
    c_other = factories.classroom(other, other_teacher, name="6A", grade=6, school_year=year)

    students = {}
    for username, name, classroom in (
        ("hs-an", "Trần Minh An", c6), ("hs-binh", "Lê Văn Bình", c6),
        ("hs-chi", "Phạm Ngọc Chi", c6), ("hs-dung", "Hoàng Đức Dũng", c6),
        ("hs-giang", "Bùi Thu Giang", c8), ("hs-ha", "Đặng Thu Hà", c8),
        ("hs-huy", "Đỗ Gia Huy", c_other),
    ):  # fmt: skip
        target = other if classroom is c_other else school
        students[username] = factories.user(Role.STUDENT, target, username=username,
                                            full_name=name)  # fmt: skip
        factories.enrol(students[username], classroom)
    parent = factories.user(Role.PARENT, school, username="ph-mai", full_name="Trần Thị Mai")
    factories.link_parent(parent, students["hs-an"])

    complete_level(students["hs-an"], "TC1")
    complete_level(students["hs-binh"], "TC1")
    complete_level(students["hs-giang"], "TC2")
    fail_quiz(students["hs-dung"], "hs-1-1-tim-kiem-thong-tin-quiz", times=3, days_ago=10)
    relatives = {
        "R1": train(students["hs-an"], "Nguyễn Thị Tư", [SCAM, VNEID]),
        "R2": train(students["hs-binh"], "Lê Văn Sáu", [SCAM], review=ReviewStatus.PENDING),
        "R3": train(students["hs-chi"], "Phạm Thị Bảy", [SCAM]),
        "R4": train(students["hs-giang"], "Bùi Văn Tám", [SCAM, PUBLIC]),
    }
    complete_level(teacher, "NC1", audience="staff")
    pass_staff_quizzes(staff, 4)
    pass_staff_quizzes(teacher_8, 3)

    # Ward: staff ≥ 50%, students ≥ 100%, parents ≥ 40%. School A: staff > 50%,
    # students ≥ 90%, parents > 40% — the same 50% and 40% meet "≥" but not ">".
    for group, percent in ((TargetGroup.STAFF, 50), (TargetGroup.STUDENTS, 100),
                           (TargetGroup.PARENTS, 40)):  # fmt: skip
        db.session.add(WardTarget(ward_id=ward.id, school_level=SchoolLevel.LOWER_SECONDARY,
                                  school_year=year, group=group, percent=percent))  # fmt: skip
    for group, percent, comparison in (
        (TargetGroup.STAFF, 50, Comparison.MORE_THAN),
        (TargetGroup.STUDENTS, 90, Comparison.AT_LEAST),
        (TargetGroup.PARENTS, 40, Comparison.MORE_THAN),
    ):
        db.session.add(SchoolTarget(school_id=school.id, school_year=year, group=group,
                                    percent=percent, comparison=comparison))  # fmt: skip
    db.session.commit()
    return ReportWorld(ward, school, other, c6, c8, c_other, students, relatives, parent,
                       teacher, other_teacher, admin, other_admin, officer, year)  # fmt: skip


def test_the_world_holds_what_the_docstring_says(app):
    world = build_world()
    assert len(world.students) == 7 and len(world.relatives) == 4
