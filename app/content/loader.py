"""Loading every content file into a ``ContentRegistry``, never raising on bad content.

Each file is read and checked on its own, then the checks that need several files run;
any file with a problem is left out whole (never half-parsed) and its problems are kept
in the registry, so the site starts with everything else and ``content check`` lists all.
"""

from __future__ import annotations

from pathlib import Path

from app.content import cross_checks
from app.content.content_file import relative_to_root
from app.content.framework import Framework, default_framework
from app.content.lessons import parse_lesson
from app.content.paths import parse_paths
from app.content.problems import ProblemLog
from app.content.quizzes import parse_quiz
from app.content.registry import ContentRegistry

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # holds lessons/ and quizzes/
DEFAULT_IMAGE_BASE_URL = "/bai-hoc/tep"


def load_content(
    root: Path,
    image_base_url: str = DEFAULT_IMAGE_BASE_URL,
    framework: Framework | None = None,
) -> ContentRegistry:
    """Read ``lessons/**/*.md``, ``lessons/paths.yaml`` and ``quizzes/**/*.yaml`` under root.

    ``image_base_url`` is where the app serves files from ``lessons/`` (the image route).
    """
    root = root.resolve()
    framework = framework or default_framework()
    lessons_dir, quizzes_dir = root / "lessons", root / "quizzes"

    lessons = [
        parse_lesson(path, root, framework, image_base_url) for path in _files(lessons_dir, "*.md")
    ]
    quizzes = [parse_quiz(path, root, framework) for path in _files(quizzes_dir, "*.yaml")]
    paths_file = lessons_dir / "paths.yaml"
    paths = parse_paths(paths_file, root, framework) if paths_file.is_file() else None

    cross_checks.check_duplicate_ids(lessons, "lesson")
    cross_checks.check_duplicate_ids(quizzes, "quiz")
    lesson_ids = {p.declared_id for p in lessons if p.declared_id}
    quiz_ids = {p.declared_id for p in quizzes if p.declared_id}
    cross_checks.check_lesson_references(lessons, lesson_ids, quiz_ids)
    cross_checks.check_prerequisite_cycles(lessons)
    cross_checks.check_quiz_sizes(lessons, quizzes)
    valid_lessons = {p.lesson.id: p.lesson for p in lessons if p.lesson and not p.log.problems}
    cross_checks.check_paths(paths, lesson_ids, valid_lessons)

    logs = [p.log for p in lessons] + [p.log for p in quizzes] + _misnamed_quizzes(root)
    if paths is not None:
        logs.append(paths.log)
    return ContentRegistry(
        root=root,
        framework=framework,
        lessons=valid_lessons.values(),
        quizzes=[p.quiz for p in quizzes if p.quiz and not p.log.problems],
        paths=[path for path, _ in paths.paths] if paths and not paths.log.problems else [],
        problems=[problem for log in logs for problem in log.problems],
    )


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern)) if folder.is_dir() else []


def _misnamed_quizzes(root: Path) -> list[ProblemLog]:
    """A quiz saved as ``.yml`` would be silently ignored; say so instead."""
    logs = []
    for path in _files(root / "quizzes", "*.yml"):
        log = ProblemLog(relative_to_root(path, root))
        log.add(1, "quiz files end in .yaml: rename this file")
        logs.append(log)
    return logs
