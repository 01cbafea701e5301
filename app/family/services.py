"""What a parent account sees: its own linked children's progress, and its own tasks.

Everything is scoped by the parent's ``ParentLink`` rows, so nothing about another
child can appear. Counts are grouped queries over all linked children at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.guided import content
from app.guided.relatives import Achievement, achievements_by_relative
from app.models import (
    LessonProgress,
    LessonStatus,
    ParentLink,
    QuizResult,
    Relative,
    User,
)
from app.outcomes import relatives_helped


@dataclass(frozen=True)
class ChildSummary:
    student: User
    relation: str
    lessons_completed: int
    quizzes_passed: int
    relatives_trained: int  # distinct relatives, counted sessions only (app.outcomes)


def children_progress(parent: User) -> list[ChildSummary]:
    links = list(
        db.session.scalars(
            sa.select(ParentLink)
            .options(joinedload(ParentLink.student))
            .where(ParentLink.parent_id == parent.id)
            .order_by(ParentLink.id)
        )
    )
    ids = [link.student_id for link in links]
    lessons = _grouped_count(
        LessonProgress.user_id, ids, LessonProgress.status == LessonStatus.COMPLETED
    )
    quizzes = _grouped_count(QuizResult.user_id, ids, QuizResult.passed.is_(True))
    trained = relatives_helped(ids)
    return [
        ChildSummary(
            student=link.student,
            relation=link.relation,
            lessons_completed=lessons.get(link.student_id, 0),
            quizzes_passed=quizzes.get(link.student_id, 0),
            relatives_trained=trained.get(link.student_id, 0),
        )
        for link in links
    ]


def _grouped_count(column, ids: list[int], condition) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(column, sa.func.count()).where(column.in_(ids), condition).group_by(column)
    )
    return {key: count for key, count in rows}


@dataclass(frozen=True)
class SoloWalkthrough:
    id: str
    title: str
    minutes: int
    certified: bool  # passed in a guided session (confirmed or awaiting review)


def own_walkthroughs(parent: User) -> tuple[list[Achievement], list[SoloWalkthrough]]:
    """The tasks this relative passed with a student, and the walkthroughs to do alone."""
    relative_id = db.session.scalar(sa.select(Relative.id).where(Relative.account_id == parent.id))
    achievements = []
    if relative_id is not None:
        achievements = achievements_by_relative([relative_id]).get(relative_id, [])
    done = {a.walkthrough_id for a in achievements}
    walkthroughs = [
        SoloWalkthrough(w.id, w.title, w.minutes, w.id in done) for w in content.walkthroughs()
    ]
    walkthroughs.sort(key=lambda w: w.certified)
    return achievements, walkthroughs
