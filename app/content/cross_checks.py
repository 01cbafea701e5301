"""Checks that need more than one file: ids, references, cycles, quiz sizes, paths.

A reference counts as known when some file declares that id, even a file left out for a
problem of its own: the author then sees that file's problem, not a second, misleading
"does not exist" on every file that points to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from app.content.lessons import ParsedLesson
from app.content.models import LESSON, STUDENT, WALKTHROUGH, Lesson
from app.content.paths import ParsedPaths
from app.content.problems import ProblemLog
from app.content.quizzes import ParsedQuiz
from app.content.schema import is_valid_id
from app.content.yaml_source import YamlMap, line_of

STUDENT_QUIZ_MIN_QUESTIONS = 6
STUDENT_QUIZ_MIN_TYPES = 2
WALKTHROUGH_QUIZ_QUESTIONS = range(3, 6)


class _Parsed(Protocol):
    relative_path: str
    log: ProblemLog
    declared_id: str | None
    raw: YamlMap | None


def check_duplicate_ids(parsed: Iterable[_Parsed], noun: str) -> None:
    """Every file that declares an id used elsewhere gets a problem naming the others."""
    by_id: dict[str, list[_Parsed]] = defaultdict(list)
    for item in parsed:
        if item.declared_id:
            by_id[item.declared_id].append(item)
    for item_id, items in by_id.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(o.relative_path for o in items if o is not item)
            assert item.raw is not None  # a declared id comes from a mapping
            item.log.at(item.raw, "id", f"duplicate {noun} id '{item_id}': also in {others}")


def check_lesson_references(
    lessons: list[ParsedLesson], lesson_ids: set[str], quiz_ids: set[str]
) -> None:
    """Quizzes and prerequisites named by a lesson must exist; a quiz has one lesson."""
    quiz_users: dict[str, list[ParsedLesson]] = defaultdict(list)
    for parsed in lessons:
        raw = parsed.raw
        if raw is None:
            continue
        quiz_id = _id_or_none(raw.get("quiz"))
        if quiz_id is not None:
            quiz_users[quiz_id].append(parsed)
            if quiz_id not in quiz_ids:
                parsed.log.at(
                    raw, "quiz", f"quiz '{quiz_id}' does not exist: no file in quizzes/ has this id"
                )
        prerequisites = raw.get("prerequisites")
        for index, item in enumerate(prerequisites if isinstance(prerequisites, list) else []):
            lesson_id = _id_or_none(item)
            if lesson_id is not None and lesson_id not in lesson_ids:
                parsed.log.add(
                    line_of(prerequisites, index), f"prerequisite '{lesson_id}' is not a lesson id"
                )
    for quiz_id, users in quiz_users.items():
        if len(users) > 1:
            for parsed in users:
                others = ", ".join(o.relative_path for o in users if o is not parsed)
                assert parsed.raw is not None
                parsed.log.at(
                    parsed.raw,
                    "quiz",
                    f"quiz '{quiz_id}' is also used by {others}; each quiz ends one lesson",
                )


def check_prerequisite_cycles(lessons: list[ParsedLesson]) -> None:
    """Report each lesson that is, through its prerequisites, its own prerequisite."""
    built = {p.lesson.id: p for p in lessons if p.lesson is not None}
    graph = {lesson_id: p.lesson.prerequisites for lesson_id, p in built.items() if p.lesson}
    for lesson_id, parsed in built.items():
        cycle = _cycle_through(lesson_id, graph)
        if cycle and parsed.raw is not None:
            parsed.log.at(
                parsed.raw,
                "prerequisites",
                f"prerequisites go round in a circle: {' → '.join(cycle)}",
            )


def check_quiz_sizes(lessons: list[ParsedLesson], quizzes: list[ParsedQuiz]) -> None:
    """docs/authoring.md: a student lesson's quiz has 6+ questions of 2+ types; a
    walkthrough's check quiz asks 3–5 questions (they are read aloud)."""
    by_id = {p.quiz.id: p for p in quizzes if p.quiz is not None}
    for parsed in lessons:
        lesson = parsed.lesson
        if lesson is None or lesson.quiz_id not in by_id:
            continue
        quiz_file = by_id[lesson.quiz_id]
        quiz = quiz_file.quiz
        assert quiz is not None and quiz_file.raw is not None
        pool = len(quiz.questions)
        where = (quiz_file.raw, "questions")
        if lesson.kind == LESSON and STUDENT in lesson.audiences:
            types = {question.type for question in quiz.questions}
            if pool < STUDENT_QUIZ_MIN_QUESTIONS:
                quiz_file.log.at(
                    *where,
                    f"the quiz of student lesson '{lesson.id}' needs at "
                    f"least {STUDENT_QUIZ_MIN_QUESTIONS} questions, not {pool}",
                )
            if len(types) < STUDENT_QUIZ_MIN_TYPES:
                quiz_file.log.at(
                    *where,
                    f"the quiz of student lesson '{lesson.id}' needs at "
                    f"least {STUDENT_QUIZ_MIN_TYPES} question types",
                )
        elif lesson.kind == WALKTHROUGH:
            asked = quiz.draw_count or pool
            if asked not in WALKTHROUGH_QUIZ_QUESTIONS:
                quiz_file.log.at(
                    *where,
                    f"the check quiz of walkthrough '{lesson.id}' asks {asked} questions; ask 3–5",
                )


def check_paths(
    parsed: ParsedPaths | None, lesson_ids: set[str], lessons: dict[str, Lesson]
) -> None:
    """Paths name existing lessons for their audience, each after its prerequisites."""
    if parsed is None:
        return
    for path, raw in parsed.paths:
        items = raw["lessons"]
        position = {lesson_id: index for index, lesson_id in enumerate(path.lesson_ids)}
        for index, lesson_id in enumerate(path.lesson_ids):
            line = line_of(items, index)
            if lesson_id not in lesson_ids:
                parsed.log.add(line, f"path '{path.id}' names unknown lesson '{lesson_id}'")
                continue
            lesson = lessons.get(lesson_id)
            if lesson is None:
                continue  # left out for its own problem
            if path.audience not in lesson.audiences:
                parsed.log.add(
                    line, f"lesson '{lesson_id}' is not for the path's audience '{path.audience}'"
                )
            for prerequisite in lesson.prerequisites:
                if position.get(prerequisite, -1) > index:
                    parsed.log.add(
                        line, f"lesson '{lesson_id}' comes before its prerequisite '{prerequisite}'"
                    )


def _id_or_none(value: object) -> str | None:
    """A well-formed id; anything else the file's own checks have reported."""
    if isinstance(value, str) and is_valid_id(value.strip()):
        return value.strip()
    return None


def _cycle_through(start: str, graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """The shortest chain of prerequisites leading from ``start`` back to it, if any."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for prerequisite in graph.get(node, ()):
                if prerequisite == start:
                    chain = [node]
                    while chain[-1] != start:
                        chain.append(came_from[chain[-1]])
                    return [start, *reversed(chain[:-1]), start]
                if prerequisite not in came_from and prerequisite in graph:
                    came_from[prerequisite] = node
                    following.append(prerequisite)
        frontier = following
    return None
