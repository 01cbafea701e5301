"""Helpers for the guided-session tests: register a relative, run a session to its end.

They call the services directly, so route tests can set a session up in one line and
then check what a user sees.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.guided import correct_values
from app.extensions import db
from app.guided import content, link_requests, services
from app.guided.relative_rules import registrant_id
from app.guided.relatives import RelativeInput, register_relative
from app.models import GuidedSession, RelativeLink, StepOutcome, User
from app.models.base import utcnow

WALKTHROUGH = "nt-goi-video-zalo"  # 9 steps, key steps 4, 7, 8; 4 questions, pass mark 70
OTHER_WALKTHROUGH = "nt-nhan-biet-lua-dao"


def relative_input(**fields) -> RelativeInput:
    values = {
        "full_name": "Nguyễn Thị Lan",
        "birth_year": 1956,
        "phone": None,
        "relation": "bà nội",
        "consent_on": date.today(),
        "parent_informed_on": date.today(),
    }
    values.update(fields)
    return RelativeInput(**values)


def register(student: User, same_as_id: int | None = None, **fields) -> RelativeLink:
    """Register a relative; with ``same_as_id``, ask to join her and have the student who
    registered her approve (the legitimate sibling flow)."""
    data = relative_input(**fields)
    if same_as_id is None:
        return register_relative(student, data)
    request = link_requests.request_link(student, data, same_as_id)
    registrant = db.session.get(User, registrant_id(request.relative))
    return link_requests.decide(request, registrant, approve=True)


def start(student: User, relative_id: int, walkthrough_id: str = WALKTHROUGH) -> GuidedSession:
    """Start a session that began half an hour ago, so it is not flagged as too fast."""
    session = services.start_session(student, relative_id, walkthrough_id)
    session.started_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    return session


def record_all(session: GuidedSession, outcomes: dict[int, StepOutcome] | None = None) -> None:
    """Record every step: the relative did it alone unless ``outcomes`` says otherwise."""
    lesson = content.walkthrough(session.walkthrough_id)
    for step in lesson.steps:
        outcome = (outcomes or {}).get(step.index, StepOutcome.SELF)
        services.record_step(session, step.index, outcome, session.version)


def answer_all(session: GuidedSession, wrong: int = 0) -> None:
    """Answer every check question, the first ``wrong`` of them wrongly."""
    quiz = content.check_quiz(content.walkthrough(session.walkthrough_id))
    for number, question_id in enumerate(session.check_details["questions"], start=1):
        question = quiz.question(question_id)
        values = wrong_values(question) if number <= wrong else correct_values(question)
        services.answer_question(session, number, values, session.version)


def wrong_values(question) -> list[str]:
    right = correct_values(question)
    if question.type == "true_false":
        return ["false" if right == ["true"] else "true"]
    if question.type == "ordering":
        return list(reversed(right))
    return [next(o.id for o in question.options if not o.correct)]


def run_session(
    student: User,
    relative_id: int,
    walkthrough_id: str = WALKTHROUGH,
    outcomes: dict[int, StepOutcome] | None = None,
    wrong: int = 0,
) -> GuidedSession:
    """A whole session: start, every step, the hand-over, every check question."""
    session = start(student, relative_id, walkthrough_id)
    record_all(session, outcomes)
    services.begin_check(session, session.version)
    answer_all(session, wrong)
    return session
