"""Demo guided sessions: demo-student's grandmother waits for demo-teacher's review.

demo-student (6A1) registered bà nội with consent; their sibling dq-8a1-01 registered
the same grandmother (one Relative, two links) and had a session confirmed, so she
counts once for the school. Three classmates of 6A1 have confirmed sessions with their
own relatives. Times are fixed offsets from today; rows are found by their natural
keys, so running the loader twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.content.questions import ChoiceQuestion, OrderingQuestion, TrueFalseQuestion
from app.extensions import db
from app.guided import content
from app.models import (
    GuidedSession,
    Relative,
    RelativeLink,
    ReviewStatus,
    SessionStatus,
    SessionStep,
    StepOutcome,
    User,
)

GRANDMOTHER = {"full_name": "Nguyễn Thị Lan", "birth_year": 1956, "phone": None}
PENDING_WALKTHROUGH = "nt-goi-video-zalo"
# (student, relative name, birth year, relation, walkthrough, days ago), all confirmed.
CONFIRMED = [
    ("dq-8a1-01", "Nguyễn Thị Lan", 1956, "bà nội", "nt-nhan-biet-lua-dao", 9),
    ("dq-6a1-02", "Trần Văn Hùng", 1960, "ông ngoại", "nt-goi-video-zalo", 6),
    ("dq-6a1-03", "Lê Thị Hoa", 1978, "mẹ", "nt-chuyen-khoan-vietqr", 5),
    ("dq-6a1-04", "Phạm Văn Tâm", 1952, "ông nội", "nt-nhan-biet-lua-dao", 4),
]
STEP_SECONDS = 90
ANSWER_SECONDS = 30


def load(context: dict) -> None:
    school, teacher = context["school"], context["teacher"]
    student = context["student"]
    grandmother = _relative(school.id, **GRANDMOTHER)
    _link(student, grandmother, "bà nội", days_ago=10)
    _session(student, grandmother, PENDING_WALKTHROUGH, days_ago=2, reviewer=None)
    for username, name, year, relation, walkthrough_id, days_ago in CONFIRMED:
        classmate = db.session.scalar(sa.select(User).where(User.username == username))
        relative = _relative(school.id, full_name=name, birth_year=year, phone=None)
        _link(classmate, relative, relation, days_ago=days_ago + 3)
        _session(classmate, relative, walkthrough_id, days_ago=days_ago, reviewer=teacher)
    context["grandmother"] = grandmother


def _relative(school_id: int, full_name: str, birth_year: int, phone: str | None) -> Relative:
    relative = db.session.scalar(
        sa.select(Relative).filter_by(
            school_id=school_id, full_name=full_name, birth_year=birth_year
        )
    )
    if relative is None:
        relative = Relative(
            school_id=school_id, full_name=full_name, birth_year=birth_year, phone=phone
        )
        db.session.add(relative)
        db.session.flush()
    return relative


def _link(student: User, relative: Relative, relation: str, days_ago: int) -> None:
    exists = db.session.scalar(
        sa.select(RelativeLink.id).filter_by(student_id=student.id, relative_id=relative.id)
    )
    if exists is None:
        day = date.today() - timedelta(days=days_ago)
        db.session.add(
            RelativeLink(
                student_id=student.id,
                relative_id=relative.id,
                relation=relation,
                consent_on=day,
                parent_informed_on=day,
            )  # fmt: skip
        )
        db.session.flush()


def _session(
    student: User, relative: Relative, walkthrough_id: str, days_ago: int, reviewer: User | None
) -> None:
    """A passed session: every step done alone, every check answer right."""
    exists = db.session.scalar(
        sa.select(GuidedSession.id).filter_by(
            student_id=student.id, relative_id=relative.id, walkthrough_id=walkthrough_id
        )
    )
    lesson = content.walkthrough(walkthrough_id)
    quiz = content.check_quiz(lesson) if lesson else None
    if exists is not None or lesson is None or quiz is None:
        return
    # 02:00 UTC is 09:00 in Vietnam: a Saturday-morning session at home.
    started = datetime.combine(date.today() - timedelta(days=days_ago), time(2, 0))
    steps = [
        SessionStep(
            step_index=step.index,
            outcome=StepOutcome.SELF,
            recorded_at=started + timedelta(seconds=STEP_SECONDS * step.index),
        )
        for step in lesson.steps
    ]
    check_started = started + timedelta(seconds=STEP_SECONDS * (len(lesson.steps) + 1))
    questions = list(quiz.questions[: quiz.draw_count or len(quiz.questions)])
    answered = {
        q.id: check_started + timedelta(seconds=ANSWER_SECONDS * (n + 1))
        for n, q in enumerate(questions)
    }
    finished = check_started + timedelta(seconds=ANSWER_SECONDS * (len(questions) + 1))
    session = GuidedSession(
        student_id=student.id,
        relative_id=relative.id,
        walkthrough_id=lesson.id,
        walkthrough_version=lesson.content_hash,
        status=SessionStatus.PASSED,
        current_step=len(lesson.steps) + 1,
        check_details={
            "quiz_id": quiz.id,
            "quiz_version": quiz.version,
            "questions": [q.id for q in questions],
            "answers": {q.id: correct_values(q) for q in questions},
            "correct": {q.id: True for q in questions},
            "answered_at": {k: v.isoformat(timespec="seconds") for k, v in answered.items()},
            "started_at": check_started.isoformat(timespec="seconds"),
            "score": 100,
            "quiz_passed": True,
        },
        check_score=100,
        flags=[],
        review_status=ReviewStatus.CONFIRMED if reviewer else ReviewStatus.PENDING,
        reviewed_by_id=reviewer.id if reviewer else None,
        reviewed_at=finished + timedelta(days=1) if reviewer else None,
        review_reason="Đã gọi điện cho gia đình." if reviewer else None,
        started_at=started,
        finished_at=finished,
        updated_at=finished,
        steps=steps,
    )
    db.session.add(session)
    db.session.flush()


def correct_values(question) -> list[str]:
    """The form values a learner who knows the answer sends for this question."""
    if isinstance(question, TrueFalseQuestion):
        return ["true" if question.answer else "false"]
    if isinstance(question, ChoiceQuestion):
        return [option.id for option in question.options if option.correct]
    if isinstance(question, OrderingQuestion):
        return [item.id for item in question.items]
    raise TypeError(f"no demo answer for question type {question.type}")
