"""The repository's own lessons/ and quizzes/ must load without a single problem."""

from __future__ import annotations

import pytest

from app.content.loader import PROJECT_ROOT, load_content


def test_repository_content_has_no_problems() -> None:
    if not (PROJECT_ROOT / "lessons").is_dir():
        pytest.skip("no lessons/ yet")
    registry = load_content(PROJECT_ROOT)
    assert [str(problem) for problem in registry.problems] == []
    assert registry.lessons
