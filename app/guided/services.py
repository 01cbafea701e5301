"""Guided sessions: start, record each step, hand over for the check, finish.

The reviewer's side (queue, confirm, reject) is in ``review``.

Every change is saved as it happens (a closed browser or a lost connection resumes at
``current_step``) and goes through the state machine in ``states``. Each form carries
the session's ``version``: a stale page (another tab, another phone, a double tap) is
refused with ``StaleSession`` unless it repeats exactly what was already saved, in which
case it is accepted as the harmless duplicate it is. A true race between two requests
is caught by the optimistic version column (``StaleDataError``) and refused the same way.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.certificates.relatives import issue_for_session, task_revoked
from app.content.attempts import grade_attempt
from app.content.models import Lesson, Quiz, Step
from app.content.questions import InvalidAnswer, question_type
from app.extensions import db
from app.guided import content, trust
from app.guided.exceptions import GuidedError, IllegalTransition, RelativeError, StaleSession
from app.guided.relatives import ERASED_MESSAGE, student_link
from app.guided.states import OPEN_STATUSES, move, move_review, require_status
from app.models import (
    GuidedSession,
    ReviewStatus,
    School,
    SessionStatus,
    SessionStep,
    StepOutcome,
    User,
)
from app.models.base import utcnow

log = logging.getLogger(__name__)

STALE_MESSAGE = _l(
    "Buổi hướng dẫn vừa được cập nhật ở một cửa sổ hoặc điện thoại khác. "
    "Trang đã được tải lại ở bước hiện tại; những gì đã lưu không bị mất."
)

TASK_REVOKED_MESSAGE = _l(
    "Ban giám hiệu đã thu hồi giấy chứng nhận nhiệm vụ này của người thân. Chỉ khi ban "
    "giám hiệu cho cấp lại thì mới hướng dẫn và xác nhận lại nhiệm vụ này được."
)


# --- Finding sessions ------------------------------------------------------------------


def session_for_student(student: User, session_id: int) -> GuidedSession | None:
    """The student's own session, or None (another student's looks the same as missing)."""
    session = db.session.get(GuidedSession, session_id)
    if session is None or session.student_id != student.id:
        return None
    return session


def open_sessions(student: User) -> list[GuidedSession]:
    return list(
        db.session.scalars(
            sa.select(GuidedSession)
            .options(joinedload(GuidedSession.relative))
            .where(GuidedSession.student_id == student.id, GuidedSession.status.in_(OPEN_STATUSES))
            .order_by(GuidedSession.started_at.desc())
        )
    )


def relative_sessions(student: User, relative_id: int) -> list[GuidedSession]:
    """Every session this student ran with this relative, newest first."""
    return list(
        db.session.scalars(
            sa.select(GuidedSession)
            .where(GuidedSession.student_id == student.id, GuidedSession.relative_id == relative_id)
            .order_by(GuidedSession.started_at.desc(), GuidedSession.id.desc())
        )
    )


def walkthrough_of(session: GuidedSession) -> Lesson:
    lesson = content.walkthrough(session.walkthrough_id)
    if lesson is None:
        raise GuidedError(
            _l("Bài hướng dẫn của buổi này không còn trên hệ thống. Hãy chọn bài khác.")
        )
    return lesson


# --- Starting and recording steps --------------------------------------------------------


def start_session(student: User, relative_id: int, walkthrough_id: str) -> GuidedSession:
    """Start a session, or return the open one for the same relative and walkthrough.

    Returning the open session makes a double tap on "Bắt đầu" (or starting again from
    another phone) resume instead of leaving a half-done duplicate behind. Two requests at
    the same moment both pass the first look; the database's partial unique index
    (``uq_guided_sessions_open``) lets only one insert in, and the other returns it.
    """
    link = student_link(student, relative_id)
    if link is None:
        raise RelativeError(_l("Em chưa đăng ký người thân này."))
    if link.relative.erased_at is not None:
        raise RelativeError(ERASED_MESSAGE)
    lesson = content.walkthrough(walkthrough_id)
    if lesson is None:
        raise GuidedError(_l("Không tìm thấy bài hướng dẫn này."))
    existing = _open_session(student.id, relative_id, walkthrough_id)
    if existing is not None:
        return existing
    if task_revoked(relative_id, walkthrough_id):
        raise GuidedError(TASK_REVOKED_MESSAGE)
    session = GuidedSession(
        student_id=student.id,
        relative_id=relative_id,
        walkthrough_id=walkthrough_id,
        walkthrough_version=lesson.content_hash,
        status=SessionStatus.IN_PROGRESS,
        current_step=1,
        flags=[],
    )
    db.session.add(session)
    try:
        db.session.commit()
    except IntegrityError:  # the other tap's session got in first: resume that one
        db.session.rollback()
        existing = _open_session(student.id, relative_id, walkthrough_id)
        if existing is None:
            raise
        return existing
    return session


def _open_session(student_id: int, relative_id: int, walkthrough_id: str) -> GuidedSession | None:
    return db.session.scalar(
        sa.select(GuidedSession).where(
            GuidedSession.student_id == student_id,
            GuidedSession.relative_id == relative_id,
            GuidedSession.walkthrough_id == walkthrough_id,
            GuidedSession.status.in_(OPEN_STATUSES),
        )
    )


def recorded_outcomes(session: GuidedSession) -> dict[int, StepOutcome]:
    return {step.step_index: step.outcome for step in session.steps}


def record_step(
    session: GuidedSession, index: int, outcome: StepOutcome, version: int | None
) -> None:
    """Save what the relative did at step ``index`` and move on to the next step.

    A step can be recorded again (the student went back); steps cannot be skipped ahead.
    """
    lesson = walkthrough_of(session)
    existing = next((s for s in session.steps if s.step_index == index), None)
    if version is not None and version != session.version:
        if existing is not None and existing.outcome == outcome:
            return  # the same answer sent twice: already saved
        raise StaleSession(STALE_MESSAGE)
    require_status(session, SessionStatus.IN_PROGRESS)
    if not 1 <= index <= len(lesson.steps) or index > session.current_step:
        raise IllegalTransition(_l("Hãy làm lần lượt từng bước, không bỏ qua bước nào."))
    now = utcnow()
    if existing is None:
        session.steps.append(SessionStep(step_index=index, outcome=outcome, recorded_at=now))
    else:
        existing.outcome = outcome
        existing.recorded_at = now
    session.current_step = max(session.current_step, index + 1)
    session.updated_at = now  # always touch the row, so its version moves on
    save()


def all_steps_recorded(session: GuidedSession, lesson: Lesson) -> bool:
    return len(session.steps) >= len(lesson.steps)


def key_steps_missed(session: GuidedSession, lesson: Lesson) -> list[Step]:
    """Key steps the relative has not (yet) done on their own."""
    outcomes = recorded_outcomes(session)
    return [s for s in lesson.steps if s.is_key and outcomes.get(s.index) != StepOutcome.SELF]


def abandon(session: GuidedSession, version: int | None) -> None:
    if version is not None and version != session.version:
        if session.status == SessionStatus.ABANDONED:
            return
        raise StaleSession(STALE_MESSAGE)
    move(session, SessionStatus.ABANDONED)
    session.finished_at = utcnow()
    save()


# --- The check questions ---------------------------------------------------------------


def begin_check(session: GuidedSession, version: int | None) -> None:
    """Hand the phone over: the steps are closed and the check questions are drawn."""
    if version is not None and version != session.version:
        if session.status == SessionStatus.CHECKING:
            return  # "Bắt đầu câu hỏi" tapped twice
        raise StaleSession(STALE_MESSAGE)
    lesson = walkthrough_of(session)
    require_status(session, SessionStatus.IN_PROGRESS)
    if not all_steps_recorded(session, lesson):
        raise IllegalTransition(_l("Còn bước chưa ghi kết quả: hãy làm hết các bước trước."))
    quiz = _quiz_of(lesson)
    questions = quiz.draw(random.Random(f"check:{session.id}"))
    move(session, SessionStatus.CHECKING)
    session.check_details = {
        "quiz_id": quiz.id,
        "quiz_version": quiz.version,
        "questions": [q.id for q in questions],
        "answers": {},
        "correct": {},
        "answered_at": {},
        "started_at": utcnow().isoformat(timespec="seconds"),
    }
    save()


@dataclass(frozen=True)
class CheckQuestion:
    number: int  # counting from 1
    total: int
    view: dict[str, Any]  # the question type's public view


def next_question(session: GuidedSession) -> CheckQuestion | None:
    """The first unanswered check question, or None when all are answered."""
    details = session.check_details or {}
    question_ids = details.get("questions", [])
    for number, question_id in enumerate(question_ids, start=1):
        if question_id not in details.get("answers", {}):
            return question_view(session, number)
    return None


def question_view(session: GuidedSession, number: int) -> CheckQuestion | None:
    details = session.check_details or {}
    question_ids = details.get("questions", [])
    if not 1 <= number <= len(question_ids):
        return None
    quiz = _quiz_of(walkthrough_of(session))
    question = quiz.question(question_ids[number - 1])
    if question is None:
        raise GuidedError(_l("Câu hỏi này không còn trong bộ câu hỏi. Hãy bắt đầu buổi mới."))
    rng = random.Random(f"check:{session.id}:{question.id}")  # same order on every reload
    view = question_type(question.type).public_view(question, rng, quiz.shuffle_options)
    return CheckQuestion(number, len(question_ids), view)


@dataclass(frozen=True)
class AnswerFeedback:
    number: int
    total: int
    prompt: str
    correct: bool
    feedback: tuple[str, ...]
    explanation: str | None
    correct_answer: dict[str, Any]


def answer_question(
    session: GuidedSession, number: int, values: list[str], version: int | None
) -> None:
    """Grade one check answer on the server and save it; the last one finishes the session."""
    details = dict(session.check_details or {})
    question_ids = details.get("questions", [])
    if 1 <= number <= len(question_ids) and question_ids[number - 1] in details.get("answers", {}):
        if details["answers"][question_ids[number - 1]] == values:
            return  # the same answer sent twice: already saved
        raise StaleSession(_l("Câu này đã được trả lời rồi; câu trả lời đầu tiên được giữ."))
    if version is not None and version != session.version:
        raise StaleSession(STALE_MESSAGE)
    require_status(session, SessionStatus.CHECKING)
    expected = next_question(session)
    if expected is None or expected.number != number:
        raise IllegalTransition(_l("Hãy trả lời lần lượt từng câu."))
    quiz = _quiz_of(walkthrough_of(session))
    question = quiz.question(question_ids[number - 1])
    kind = question_type(question.type)
    if not values:
        raise GuidedError(_l("Bác chưa chọn câu trả lời. Hãy chạm vào một câu trả lời."))
    try:
        result = kind.grade(question, kind.parse_answer(question, values))
    except InvalidAnswer:
        raise GuidedError(_l("Câu trả lời gửi lên không hợp lệ. Hãy chọn lại.")) from None
    now = utcnow()
    details["answers"] = {**details.get("answers", {}), question.id: values}
    details["correct"] = {**details.get("correct", {}), question.id: result.correct}
    details["answered_at"] = {
        **details.get("answered_at", {}),
        question.id: now.isoformat(timespec="seconds"),
    }
    session.check_details = details  # a new dict, so the JSON column sees the change
    session.updated_at = now
    finished = len(details["answers"]) == len(question_ids)
    if finished:
        _finish(session, quiz)
    save()
    if finished and session.review_status == ReviewStatus.CONFIRMED:
        sync_certificates(session)


def answer_feedback(session: GuidedSession, number: int) -> AnswerFeedback | None:
    """What to tell the relative about an answered question (None if not answered)."""
    details = session.check_details or {}
    question_ids = details.get("questions", [])
    if not 1 <= number <= len(question_ids):
        return None
    question_id = question_ids[number - 1]
    values = details.get("answers", {}).get(question_id)
    quiz = content.check_quiz(walkthrough_of(session))
    question = quiz.question(question_id) if quiz else None
    if values is None or question is None:
        return None
    kind = question_type(question.type)
    result = kind.grade(question, kind.parse_answer(question, values))
    return AnswerFeedback(
        number=number,
        total=len(question_ids),
        prompt=question.prompt,
        correct=result.correct,
        feedback=result.feedback,
        explanation=question.explanation,
        correct_answer=result.correct_answer_view,
    )


def _quiz_of(lesson: Lesson) -> Quiz:
    quiz = content.check_quiz(lesson)
    if quiz is None:
        raise GuidedError(_l("Bài hướng dẫn này chưa có câu hỏi kiểm tra."))
    return quiz


def _finish(session: GuidedSession, quiz: Quiz) -> None:
    """Passed = check quiz passed AND every key step done by the relative themselves."""
    details = session.check_details
    attempt = grade_attempt(quiz, details["questions"], details["answers"])
    session.check_score = attempt.score
    details["score"] = attempt.score
    details["quiz_passed"] = attempt.passed
    lesson = walkthrough_of(session)
    passed = attempt.passed and not key_steps_missed(session, lesson)
    move(session, SessionStatus.PASSED if passed else SessionStatus.NOT_YET)
    session.finished_at = utcnow()
    session.flags = trust.flags_for(session)
    if passed:
        school = db.session.get(School, session.relative.school_id)
        to = trust.route_for_review(session, school)
        if task_revoked(session.relative_id, session.walkthrough_id):
            to = ReviewStatus.PENDING  # revoked meanwhile: never confirmed automatically
        move_review(session, to)
        if to == ReviewStatus.CONFIRMED:
            session.reviewed_at = session.finished_at  # confirmed by the school's policy


@dataclass(frozen=True)
class PracticePlan:
    """What a relative who is "not yet" there should practise next time."""

    key_steps: list[Step]  # key steps not done alone: these decide the outcome
    other_steps: list[Step]  # steps done with help or skipped
    quiz_passed: bool
    wrong_prompts: list[str]


def practice_plan(session: GuidedSession, lesson: Lesson) -> PracticePlan:
    outcomes = recorded_outcomes(session)
    key_missed = key_steps_missed(session, lesson)
    others = [
        s for s in lesson.steps
        if not s.is_key and outcomes.get(s.index, StepOutcome.SKIPPED) != StepOutcome.SELF
    ]  # fmt: skip
    details = session.check_details or {}
    quiz = content.check_quiz(lesson)
    wrong = [
        question.prompt
        for question_id, correct in details.get("correct", {}).items()
        if not correct and quiz and (question := quiz.question(question_id)) is not None
    ]
    return PracticePlan(key_missed, others, bool(details.get("quiz_passed")), wrong)


def sync_certificates(session: GuidedSession) -> None:
    """Issue (confirmed) or revoke (rejected) the relative's certificate right away.

    The review is already committed and must stand whatever happens here; if issuing
    fails, ``flask certificates issue`` catches up later, so the error is only logged.
    """
    try:
        issue_for_session(session)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Certificates for guided session %s not synced", session.id)


def save() -> None:
    """Commit, turning a lost race on the session's version into ``StaleSession``."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise StaleSession(STALE_MESSAGE) from None
