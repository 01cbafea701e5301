"""What a reviewer sees of each session: one card, built for many sessions at once.

The queue shows every pending session with its timeline, answers and flags; building
the cards costs one query for the relations whatever the queue length (sessions come
with their steps, students and relatives already loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.content.models import Lesson
from app.extensions import db
from app.guided import content, trust
from app.guided.forms import RejectForm, ReviewForm
from app.guided.relatives import RELATIONS
from app.models import GuidedSession, RelativeLink, StepOutcome


@dataclass(frozen=True)
class TimelineStep:
    index: int
    title: str
    is_key: bool
    outcome: StepOutcome | None
    recorded_at: datetime | None
    seconds: int | None  # since the previous step was recorded (or the start)


@dataclass(frozen=True)
class TimelineAnswer:
    prompt: str
    answer: str
    correct: bool


def timeline(session: GuidedSession, lesson: Lesson | None) -> list[TimelineStep]:
    """Each step with its outcome and the time it took, for the teacher's review."""
    by_index = {step.step_index: step for step in session.steps}
    count = len(lesson.steps) if lesson else max(by_index, default=0)
    rows, previous = [], session.started_at
    for index in range(1, count + 1):
        step = content.step(lesson, index) if lesson else None
        recorded = by_index.get(index)
        seconds = None
        if recorded is not None:
            seconds = max(0, int((recorded.recorded_at - previous).total_seconds()))
            previous = recorded.recorded_at
        rows.append(
            TimelineStep(
                index=index,
                title=step.title if step else str(_l("Bước %(n)d", n=index)),
                is_key=bool(step and step.is_key),
                outcome=recorded.outcome if recorded else None,
                recorded_at=recorded.recorded_at if recorded else None,
                seconds=seconds,
            )
        )
    return rows


def check_answers(session: GuidedSession, lesson: Lesson | None) -> list[TimelineAnswer]:
    """The check questions as asked, with the relative's answer in words."""
    details = session.check_details or {}
    quiz = content.check_quiz(lesson) if lesson else None
    rows = []
    for question_id in details.get("questions", []):
        question = quiz.question(question_id) if quiz else None
        values = details.get("answers", {}).get(question_id)
        rows.append(
            TimelineAnswer(
                prompt=question.prompt if question else question_id,
                answer=_answer_text(question, values),
                correct=bool(details.get("correct", {}).get(question_id)),
            )
        )
    return rows


def _answer_text(question: Any, values: list[str] | None) -> str:
    if values is None:
        return str(_l("(chưa trả lời)"))
    if question is None:
        return ", ".join(values)
    if question.type == "true_false":
        return str(_l("Đúng")) if values == ["true"] else str(_l("Sai"))
    texts = {entry.id: entry.text for entry in getattr(question, "options", ())}
    texts.update({entry.id: entry.text for entry in getattr(question, "items", ())})
    return (
        " → ".join(texts.get(v, v) for v in values)
        if question.type == "ordering"
        else ("; ".join(texts.get(v, v) for v in values))
    )


@dataclass
class ReviewCard:
    session: GuidedSession
    lesson: Lesson | None
    title: str
    relation: str
    timeline: list[TimelineStep]
    answers: list[TimelineAnswer]
    flags: list[str]
    seconds_per_step: float | None
    minutes: int | None
    self_count: int
    confirm_form: ReviewForm
    reject_form: RejectForm

    @property
    def correct_count(self) -> int:
        return sum(1 for answer in self.answers if answer.correct)


def review_cards(sessions: list[GuidedSession]) -> list[ReviewCard]:
    pairs = {(s.student_id, s.relative_id) for s in sessions}
    relations: dict[tuple[int, int], str] = {}
    if pairs:
        rows = db.session.execute(
            sa.select(
                RelativeLink.student_id, RelativeLink.relative_id, RelativeLink.relation
            ).where(sa.tuple_(RelativeLink.student_id, RelativeLink.relative_id).in_(pairs))
        )
        relations = {(s, r): rel for s, r, rel in rows}
    titles = content.walkthrough_titles()
    cards = []
    for session in sessions:
        lesson = content.walkthrough(session.walkthrough_id)
        relation = relations.get((session.student_id, session.relative_id), "")
        minutes = None
        if session.finished_at:
            minutes = round((session.finished_at - session.started_at).total_seconds() / 60)
        cards.append(
            ReviewCard(
                session=session,
                lesson=lesson,
                title=titles.get(session.walkthrough_id, session.walkthrough_id),
                relation=str(RELATIONS.get(relation, relation)),
                timeline=timeline(session, lesson),
                answers=check_answers(session, lesson),
                flags=list(session.flags or []),
                seconds_per_step=trust.seconds_per_step(session),
                minutes=minutes,
                self_count=sum(1 for s in session.steps if s.outcome == StepOutcome.SELF),
                confirm_form=ReviewForm(formdata=None, version=session.version),
                reject_form=RejectForm(formdata=None, version=session.version),
            )
        )
    return cards
