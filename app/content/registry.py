"""The loaded content and the questions routes ask of it.

Built once by ``load_content`` and shared, read-only, by every request. Lookups by id
return None for an unknown id: ids come from URLs and from progress rows written against
content that may since have been removed or left out for a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from app.content.framework import Framework
from app.content.models import WALKTHROUGH, LearningPath, Lesson, Quiz
from app.content.problems import Problem


class Neighbours(NamedTuple):
    previous: Lesson | None
    next: Lesson | None


class ContentRegistry:
    """Valid lessons, quizzes and paths, plus the problems of the files left out.

    ``lessons`` is in curriculum order: lowest level first, then framework order of the
    first competence, then file path. ``quizzes`` is by id; ``paths`` is in file order.
    ``images`` holds the image files lessons show, relative to ``lessons/``: the image
    route serves those and nothing else.
    """

    def __init__(
        self,
        *,
        root: Path,
        framework: Framework,
        lessons: Iterable[Lesson] = (),
        quizzes: Iterable[Quiz] = (),
        paths: Iterable[LearningPath] = (),
        problems: Iterable[Problem] = (),
    ) -> None:
        self.root = root
        self.framework = framework
        ordered = sorted(lessons, key=self._curriculum_order)
        self.lessons: Mapping[str, Lesson] = MappingProxyType({x.id: x for x in ordered})
        by_id = sorted(quizzes, key=lambda quiz: quiz.id)
        self.quizzes: Mapping[str, Quiz] = MappingProxyType({q.id: q for q in by_id})
        self.paths: Mapping[str, LearningPath] = MappingProxyType({p.id: p for p in paths})
        self.problems: tuple[Problem, ...] = tuple(sorted(problems))
        self.images: frozenset[str] = frozenset(i for x in ordered for i in x.images)
        self._lesson_by_quiz = {x.quiz_id: x for x in ordered if x.quiz_id}

    @property
    def lessons_root(self) -> Path:
        return self.root / "lessons"

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    def quiz(self, quiz_id: str) -> Quiz | None:
        return self.quizzes.get(quiz_id)

    def path(self, path_id: str) -> LearningPath | None:
        return self.paths.get(path_id)

    def walkthroughs(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons.values() if lesson.kind == WALKTHROUGH]

    def lessons_for(
        self,
        audience: str | None = None,
        domain: str | None = None,
        competence: str | None = None,
        level: str | None = None,
    ) -> list[Lesson]:
        """Lessons matching every filter given, in curriculum order."""
        return [
            lesson
            for lesson in self.lessons.values()
            if (audience is None or audience in lesson.audiences)
            and (domain is None or domain in lesson.domains)
            and (competence is None or competence in lesson.competences)
            and (level is None or level in lesson.levels)
        ]

    def lessons_covering(self, competence: str, level: str) -> list[Lesson]:
        return self.lessons_for(competence=competence, level=level)

    def coverage(self, audience: str | None = None) -> dict[str, list[Lesson]]:
        """Every competence code, in framework order, with the lessons that teach it."""
        return {
            competence.code: self.lessons_for(audience, competence=competence.code)
            for competence in self.framework.competences
        }

    def next_and_previous(self, lesson_id: str, audience: str) -> Neighbours:
        """The lessons of the same kind for this audience before and after this one."""
        lesson = self.lesson(lesson_id)
        if lesson is None or audience not in lesson.audiences:
            return Neighbours(None, None)
        same_kind = [x for x in self.lessons_for(audience) if x.kind == lesson.kind]
        index = next(i for i, x in enumerate(same_kind) if x.id == lesson_id)
        return Neighbours(
            same_kind[index - 1] if index > 0 else None,
            same_kind[index + 1] if index + 1 < len(same_kind) else None,
        )

    def paths_for(self, audience: str, level: str | None = None) -> list[LearningPath]:
        return [
            path
            for path in self.paths.values()
            if path.audience == audience and (level is None or path.level == level)
        ]

    def path_lessons(self, path_id: str) -> list[Lesson]:
        """A path's lessons in order, skipping any left out for a problem."""
        path = self.path(path_id)
        if path is None:
            return []
        return [self.lessons[i] for i in path.lesson_ids if i in self.lessons]

    def lesson_for_quiz(self, quiz_id: str) -> Lesson | None:
        """The lesson that ends with this quiz (each quiz belongs to one lesson)."""
        return self._lesson_by_quiz.get(quiz_id)

    def _curriculum_order(self, lesson: Lesson) -> tuple:
        levels = [self.framework.level(code) for code in lesson.levels]
        competence = self.framework.competence(lesson.competences[0])
        return (
            min(level.number for level in levels if level is not None),
            competence.sort_key if competence else (99, 99),
            lesson.relative_path,
        )
