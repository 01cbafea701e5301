"""The rules that turn progress rows into what a learner has achieved.

Dashboards, certificates and "Tiến độ của tôi" must agree on what "achieved" means, so
the rules live here, once. They are pure and set-based: the two query helpers fetch the
rows of any number of learners in one query each, and the rules themselves work on plain
sets of content ids, so a report over a whole school costs two queries, not two per pupil.

- A competence is achieved at a level by a learner of an audience when the learner has
  passed the quiz of EVERY lesson (for that audience, at that level, with a quiz) that
  covers it. A competence no such lesson covers cannot be achieved: there is nothing to
  pass, and counting it as achieved would inflate every report.
- A path is completed when every lesson in it is completed and every quiz of those
  lessons is passed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import sqlalchemy as sa

from app.content.framework import Framework, default_framework
from app.content.models import LearningPath
from app.content.registry import ContentRegistry
from app.extensions import db
from app.models.progress import LessonProgress, LessonStatus, QuizResult
from app.models.users import STAFF_ROLES, Role, User

# Levels expected of adults, who have no school grade: staff teach the framework, so they
# are expected one tier above the pupils they teach; parents and relatives start at the
# "Cơ bản" tier that the essential-task walkthroughs are written for.
STAFF_LEVEL = "NC1"
PARENT_LEVEL = "CB2"


def expected_level(user: User, framework: Framework | None = None) -> str | None:
    """The level code this person is expected to reach, or None if none applies.

    Students: from the grade of their current class, through the framework's grade →
    level mapping (grades 6–7 → TC1, 8–9 → TC2); a student in no class has none.
    Staff roles (staff, teacher, school admin) → NC1; parents → CB2; ward officers and
    administrators are not learners → None. Costs one query for a student, none otherwise.
    """
    if user.role == Role.STUDENT:
        classroom = user.current_classroom()
        return level_for_grade(classroom.grade, framework) if classroom else None
    if user.role in STAFF_ROLES:
        return STAFF_LEVEL
    if user.role == Role.PARENT:
        return PARENT_LEVEL
    return None


def level_for_grade(grade: int, framework: Framework | None = None) -> str | None:
    """The level code a school grade maps to (for reports that already know the grade)."""
    level = (framework or default_framework()).level_for_grade(grade)
    return level.code if level else None


def passed_quizzes(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """Quiz ids each learner has ever passed, in one query; every id asked gets a key."""
    ids = set(user_ids)
    result: dict[int, set[str]] = {user_id: set() for user_id in ids}
    if not ids:
        return result
    rows = db.session.execute(
        sa.select(QuizResult.user_id, QuizResult.quiz_id).where(
            QuizResult.user_id.in_(ids), QuizResult.passed.is_(True)
        )
    )
    for user_id, quiz_id in rows:
        result[user_id].add(quiz_id)
    return result


def completed_lessons(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """Lesson ids each learner has marked done, in one query; every id asked gets a key."""
    ids = set(user_ids)
    result: dict[int, set[str]] = {user_id: set() for user_id in ids}
    if not ids:
        return result
    rows = db.session.execute(
        sa.select(LessonProgress.user_id, LessonProgress.lesson_id).where(
            LessonProgress.user_id.in_(ids),
            LessonProgress.status == LessonStatus.COMPLETED,
        )
    )
    for user_id, lesson_id in rows:
        result[user_id].add(lesson_id)
    return result


def required_quizzes(
    level: str, audience: str, content: ContentRegistry
) -> Mapping[str, frozenset[str]]:
    """For each achievable competence: the quiz ids that must all be passed to achieve it.

    Competences no lesson (of this audience, at this level, with a quiz) covers are
    absent. Computed once per content registry, level and audience.
    """
    return _required_quizzes(content, level, audience)


@functools.lru_cache(maxsize=64)
def _required_quizzes(
    content: ContentRegistry, level: str, audience: str
) -> Mapping[str, frozenset[str]]:
    required: dict[str, set[str]] = {}
    for lesson in content.lessons_for(audience=audience, level=level):
        if lesson.quiz_id is None:
            continue
        for code in lesson.competences:
            required.setdefault(code, set()).add(lesson.quiz_id)
    order = {c.code: i for i, c in enumerate(content.framework.competences)}
    return {
        code: frozenset(required[code])
        for code in sorted(required, key=lambda code: order.get(code, len(order)))
    }


def competences_achieved(
    passed: set[str], level: str, audience: str, content: ContentRegistry
) -> set[str]:
    """Competence codes achieved at ``level`` by a learner of ``audience`` who passed these
    quizzes: those whose every covering lesson's quiz is in ``passed``."""
    return {
        code
        for code, quizzes in required_quizzes(level, audience, content).items()
        if quizzes <= passed
    }


def achievable_competences(level: str, audience: str, content: ContentRegistry) -> set[str]:
    """Competence codes that can be achieved at this level by this audience at all."""
    return set(required_quizzes(level, audience, content))


def path_completed(
    path: LearningPath | str, completed: set[str], passed: set[str], content: ContentRegistry
) -> bool:
    """Every lesson of the path completed and the quiz of each (if it has one) passed.

    ``path`` is a ``LearningPath`` or its id; an unknown or empty path is never completed.
    A lesson the registry no longer holds still has to be completed, but its quiz (unknown
    now) is not required.
    """
    if isinstance(path, str):
        found = content.path(path)
        if found is None:
            return False
        path = found
    if not path.lesson_ids:
        return False
    for lesson_id in path.lesson_ids:
        if lesson_id not in completed:
            return False
        lesson = content.lesson(lesson_id)
        if lesson is not None and lesson.quiz_id and lesson.quiz_id not in passed:
            return False
    return True
