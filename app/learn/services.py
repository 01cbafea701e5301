"""A learner's progress on lessons, and the views of the catalogue and "Tiến độ của tôi".

Content comes from the registry (in memory, pre-rendered); only progress rows come from
the database, one query per table per page, so a page costs the same however many
lessons there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.content.framework import Domain
from app.content.models import LearningPath, Lesson
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn.awards import award_certificates
from app.learn.progress_rules import (
    achievable_competences,
    competences_achieved,
    expected_level,
)
from app.models.base import utcnow
from app.models.progress import LessonProgress, LessonStatus, QuizResult
from app.models.users import Role, User

NOT_STARTED = "not_started"  # no LessonProgress row
STATUS_LABELS = {
    NOT_STARTED: _l("Chưa bắt đầu"),
    LessonStatus.IN_PROGRESS.value: _l("Đang học"),
    LessonStatus.COMPLETED.value: _l("Đã xong"),
}
AUDIENCE_LABELS = {
    "student": _l("Học sinh"),
    "staff": _l("Cán bộ, giáo viên"),
    "parent": _l("Phụ huynh, người thân"),
}
# A student with no class yet is shown the level of the youngest grade we teach.
FALLBACK_LEVEL = {"student": "TC1", "staff": "NC1", "parent": "CB2"}


# --- lesson progress -------------------------------------------------------------------


@dataclass(frozen=True)
class LessonState:
    """What the lesson page shows of the learner's progress: status and quiz result."""

    status: str  # NOT_STARTED is never returned by open_lesson: opening starts it
    best_score: int | None
    passed: bool


def open_lesson(user: User, lesson_id: str, quiz_id: str | None = None) -> LessonState:
    """The learner's state on this lesson, marking it "in progress" on first opening.

    The lesson page is the busiest page, so this is one Core query (the lesson row and
    the quiz result, outer-joined on the user) on every visit after the first. Two tabs
    opening a lesson at once end up with the one row the unique constraint allows.
    """
    progress, result = LessonProgress.__table__, QuizResult.__table__
    row = db.session.execute(
        sa.select(progress.c.status, result.c.best_score, result.c.passed)
        .select_from(User.__table__)
        .outerjoin(
            progress,
            sa.and_(progress.c.user_id == User.id, progress.c.lesson_id == lesson_id),
        )
        .outerjoin(
            result, sa.and_(result.c.user_id == User.id, result.c.quiz_id == (quiz_id or ""))
        )
        .where(User.id == user.id)
    ).one()
    status = LessonStatus(row.status or LessonStatus.IN_PROGRESS).value
    state = LessonState(status, row.best_score, bool(row.passed))
    if row.status is None:
        db.session.add(
            LessonProgress(user_id=user.id, lesson_id=lesson_id, status=LessonStatus.IN_PROGRESS)
        )
        try:
            db.session.commit()
        except IntegrityError:  # the other tab created it
            db.session.rollback()
    return state


def complete_lesson(user: User, lesson_id: str) -> LessonProgress:
    """Mark a lesson done (idempotent) and note the learner as active; commits. A lesson
    that completes a path issues its certificate at once (``awards``)."""
    row = mark_completed(user, lesson_id)
    db.session.commit()
    award_certificates(user)
    return row


def mark_completed(user: User, lesson_id: str) -> LessonProgress:
    """Mark done inside the caller's transaction (also used when a lesson's quiz is passed)."""
    now = utcnow()
    row = _progress_row(user.id, lesson_id)
    if row is None:
        row = LessonProgress(user_id=user.id, lesson_id=lesson_id, started_at=now)
        db.session.add(row)
    if row.status != LessonStatus.COMPLETED:
        row.status = LessonStatus.COMPLETED
        row.completed_at = now
    user.last_active_at = now
    return row


def _progress_row(user_id: int, lesson_id: str) -> LessonProgress | None:
    return db.session.scalar(
        sa.select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id
        )
    )


def quiz_result(user: User, quiz_id: str) -> QuizResult | None:
    return db.session.scalar(
        sa.select(QuizResult).where(QuizResult.user_id == user.id, QuizResult.quiz_id == quiz_id)
    )


@dataclass(frozen=True)
class LearnerProgress:
    """One learner's rows, keyed by content id: lesson status and quiz result."""

    statuses: dict[str, str]  # lesson id → NOT_STARTED is implied by absence
    results: dict[str, QuizResult]  # quiz id → result

    @classmethod
    def load(cls, user: User) -> LearnerProgress:
        """Two queries, whatever the number of lessons."""
        statuses = dict(
            db.session.execute(
                sa.select(LessonProgress.lesson_id, LessonProgress.status).where(
                    LessonProgress.user_id == user.id
                )
            ).all()
        )
        results = {
            r.quiz_id: r
            for r in db.session.scalars(sa.select(QuizResult).where(QuizResult.user_id == user.id))
        }
        return cls({k: LessonStatus(v).value for k, v in statuses.items()}, results)

    def status(self, lesson_id: str) -> str:
        return self.statuses.get(lesson_id, NOT_STARTED)

    def result(self, lesson: Lesson) -> QuizResult | None:
        return self.results.get(lesson.quiz_id) if lesson.quiz_id else None

    @property
    def passed(self) -> set[str]:
        return {quiz_id for quiz_id, r in self.results.items() if r.passed}

    def item(self, lesson: Lesson) -> CatalogueItem:
        return CatalogueItem(lesson, self.status(lesson.id), self.result(lesson))


@dataclass(frozen=True)
class CatalogueItem:
    lesson: Lesson
    status: str  # NOT_STARTED, "in_progress" or "completed"
    result: QuizResult | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


# --- catalogue -------------------------------------------------------------------------


def learner_level(user: User) -> str | None:
    """The expected level, or for a student not yet in a class the level of grade 6."""
    return expected_level(user) or FALLBACK_LEVEL.get(user.audience or "")


def recommended_path(user: User, content: ContentRegistry) -> LearningPath | None:
    """The path for this learner: a student's grade band first; staff and parents theirs.

    None when ``lessons/paths.yaml`` is absent or has no path for them.
    """
    audience = user.audience
    if audience is None:
        return None
    level = learner_level(user) if user.role == Role.STUDENT else None
    paths = content.paths_for(audience, level) or content.paths_for(audience)
    return paths[0] if paths else None


@dataclass(frozen=True)
class PathView:
    path: LearningPath
    items: list[CatalogueItem]

    @property
    def done_count(self) -> int:
        return sum(item.status == LessonStatus.COMPLETED.value for item in self.items)

    @property
    def next_item(self) -> CatalogueItem | None:
        """The first lesson not completed: where "Tiếp tục" leads."""
        return next(
            (item for item in self.items if item.status != LessonStatus.COMPLETED.value), None
        )


def path_view(path: LearningPath | None, progress: LearnerProgress, content: ContentRegistry):
    if path is None:
        return None
    return PathView(path, [progress.item(x) for x in content.path_lessons(path.id)])


# --- my progress -----------------------------------------------------------------------


@dataclass(frozen=True)
class DomainProgress:
    domain: Domain
    achieved: list[str]  # competence codes, framework order
    expected: list[str]  # achievable at the learner's level

    @property
    def ratio(self) -> float:
        return len(self.achieved) / len(self.expected) if self.expected else 0.0


@dataclass(frozen=True)
class ProgressSummary:
    level: str | None
    level_is_fallback: bool
    domains: list[DomainProgress]
    completed: list[Lesson] = field(default_factory=list)
    in_progress: list[Lesson] = field(default_factory=list)
    passed: list[tuple[Lesson | None, QuizResult]] = field(default_factory=list)

    @property
    def achieved_count(self) -> int:
        return sum(len(d.achieved) for d in self.domains)

    @property
    def expected_count(self) -> int:
        return sum(len(d.expected) for d in self.domains)


def progress_summary(user: User, content: ContentRegistry) -> ProgressSummary:
    """Per domain, competences achieved vs expected at the learner's level; lessons and
    quizzes. Three queries: the class (students), lesson rows, quiz rows."""
    level = expected_level(user)
    fallback = level is None
    level = level or FALLBACK_LEVEL.get(user.audience or "")
    progress = LearnerProgress.load(user)
    audience = user.audience or ""
    achieved = competences_achieved(progress.passed, level, audience, content) if level else set()
    expected = achievable_competences(level, audience, content) if level else set()
    domains = [
        DomainProgress(
            domain,
            [c.code for c in domain.competences if c.code in achieved],
            [c.code for c in domain.competences if c.code in expected],
        )
        for domain in content.framework.domains
    ]
    lessons = [x for x in content.lessons.values() if x.id in progress.statuses]
    done = LessonStatus.COMPLETED.value
    passed = [
        (content.lesson_for_quiz(quiz_id), result)
        for quiz_id, result in sorted(progress.results.items())
        if result.passed
    ]
    return ProgressSummary(
        level=level,
        level_is_fallback=fallback,
        domains=domains,
        completed=[x for x in lessons if progress.status(x.id) == done],
        in_progress=[x for x in lessons if progress.status(x.id) != done],
        passed=passed,
    )


# --- framework and coverage ------------------------------------------------------------


def lesson_counts(content: ContentRegistry) -> dict[str, dict[str, int]]:
    """Per competence code: how many lessons cover it, per audience and in total."""
    counts: dict[str, dict[str, int]] = {
        c.code: {"total": 0, "student": 0, "staff": 0, "parent": 0}
        for c in content.framework.competences
    }
    for lesson in content.lessons.values():
        for code in lesson.competences:
            if code not in counts:
                continue
            counts[code]["total"] += 1
            for audience in lesson.audiences:
                counts[code][audience] += 1
    return counts


@dataclass(frozen=True)
class CoverageRow:
    code: str
    name: str
    by_level: dict[str, list[Lesson]]  # level code → lessons covering it there

    def covered_at(self, level: str) -> bool:
        return any(lesson.quiz_id for lesson in self.by_level[level])


def coverage_table(content: ContentRegistry, audience: str) -> tuple[list[str], list[CoverageRow]]:
    """The levels this audience's lessons are written for, and for each competence the
    lessons covering it at each of those levels (achievable only with a quiz)."""
    lessons = content.lessons_for(audience)
    used = {level for lesson in lessons for level in lesson.levels}
    levels = [level.code for level in content.framework.levels if level.code in used]
    rows = [
        CoverageRow(
            c.code,
            c.name_vi,
            {
                level: [x for x in lessons if c.code in x.competences and level in x.levels]
                for level in levels
            },
        )
        for c in content.framework.competences
    ]
    return levels, rows


def lessons_by_id(content: ContentRegistry, ids: Iterable[str]) -> list[Lesson]:
    return [content.lessons[i] for i in ids if i in content.lessons]
