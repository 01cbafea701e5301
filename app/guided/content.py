"""The walkthroughs and check quizzes a guided session runs, from the content registry.

A small adapter so the rest of the package asks for "the walkthroughs a relative can be
guided through" and "its check quiz" without knowing how the registry is organised.
"""

from __future__ import annotations

from app.content import get_content
from app.content.models import PARENT, Lesson, Quiz, Step


def walkthroughs() -> list[Lesson]:
    """Walkthroughs meant for parents and relatives, in curriculum order."""
    return [w for w in get_content().walkthroughs() if PARENT in w.audiences]


def walkthrough(walkthrough_id: str) -> Lesson | None:
    lesson = get_content().lesson(walkthrough_id)
    return lesson if lesson is not None and lesson.is_walkthrough else None


def walkthrough_titles() -> dict[str, str]:
    """Title by id, for every walkthrough still loaded (history may name removed ones)."""
    return {w.id: w.title for w in get_content().walkthroughs()}


def check_quiz(lesson: Lesson) -> Quiz | None:
    return get_content().quiz(lesson.quiz_id) if lesson.quiz_id else None


def step(lesson: Lesson, index: int) -> Step | None:
    """Step ``index`` counting from 1, as sessions and authors count them."""
    return lesson.steps[index - 1] if 1 <= index <= len(lesson.steps) else None
