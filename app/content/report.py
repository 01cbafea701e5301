"""The content check's report, printed the same by the Flask CLI and ``python -m``."""

from __future__ import annotations

from collections.abc import Callable

from app.content.registry import ContentRegistry


def print_report(registry: ContentRegistry, echo: Callable[[str], object] = print) -> int:
    """Print every problem as ``file:line: message``, then a summary; return the exit code."""
    for problem in registry.problems:
        echo(str(problem))
    echo(summary(registry))
    return 1 if registry.problems else 0


def summary(registry: ContentRegistry) -> str:
    return (
        f"{len(registry.lessons)} bài học, {len(registry.quizzes)} bài kiểm tra, "
        f"{len(registry.paths)} lộ trình, {len(registry.problems)} lỗi"
    )
