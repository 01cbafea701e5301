"""Fixtures for the content engine: plain files under tmp_path, no Flask app needed.

``fixtures/good`` is a small valid content tree (two student lessons, a staff lesson, a
walkthrough, their quizzes and two paths). Each ``fixtures/broken/<case>`` holds the
files of one broken case, laid over a copy of the good tree.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.content.loader import load_content
from app.content.registry import ContentRegistry

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"


@pytest.fixture(scope="session")
def good() -> ContentRegistry:
    """The good tree, loaded once (a registry is read-only)."""
    return load_content(GOOD)


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """A writable copy of the good tree."""
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    return root


@pytest.fixture
def broken_root(content_root: Path) -> Callable[[str], Path]:
    """``broken_root(case)``: the good tree with ``fixtures/broken/<case>`` laid over it."""

    def make(case: str) -> Path:
        shutil.copytree(BROKEN / case, content_root, dirs_exist_ok=True)
        return content_root

    return make
