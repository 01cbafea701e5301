"""The starting curriculum covers what the movement needs (issue: a real curriculum)."""

from __future__ import annotations

import re

import pytest

from app.content.framework import default_framework
from app.content.loader import PROJECT_ROOT, load_content


@pytest.fixture(scope="module")
def content():
    return load_content(PROJECT_ROOT)


def _student_lessons(content):
    return [
        lesson
        for lesson in content.lessons.values()
        if "student" in lesson.audiences and lesson.kind == "lesson"
    ]


@pytest.mark.parametrize("level", ["TC1", "TC2"])
def test_every_competence_has_a_student_lesson_with_a_quiz_at_each_thcs_level(content, level):
    framework = default_framework()
    codes = {c.code for c in framework.competences}
    assert len(codes) == 24
    covered = {
        code
        for lesson in _student_lessons(content)
        if level in lesson.levels and lesson.quiz_id and content.quiz(lesson.quiz_id)
        for code in lesson.competences
    }
    assert sorted(codes - covered) == []


def test_student_quizzes_have_six_questions_of_mixed_types(content):
    for lesson in _student_lessons(content):
        quiz = content.quiz(lesson.quiz_id)
        assert quiz is not None, lesson.id
        assert len(quiz.questions) >= 6, lesson.id
        assert len({q.type for q in quiz.questions}) >= 2, lesson.id


def test_every_essential_task_has_a_walkthrough_with_check_questions(content):
    walkthroughs = content.walkthroughs()
    assert len(walkthroughs) >= 12
    tasks = {task.id for task in default_framework().tasks}
    assert tasks <= {w.task_id for w in walkthroughs}
    for walkthrough in walkthroughs:
        quiz = content.quiz(walkthrough.quiz_id)
        assert quiz is not None and 3 <= len(quiz.questions) <= 5, walkthrough.id
        assert walkthrough.key_steps, walkthrough.id
        assert all(step.see_html for step in walkthrough.steps), walkthrough.id


def test_staff_have_at_least_six_lessons_with_quizzes(content):
    staff = [
        lesson
        for lesson in content.lessons.values()
        if "staff" in lesson.audiences and lesson.quiz_id and content.quiz(lesson.quiz_id)
    ]
    assert len(staff) >= 6


@pytest.mark.parametrize("path_id", ["core-tc1", "core-tc2"])
def test_core_paths_have_about_twelve_lessons(content, path_id):
    lessons = content.path_lessons(path_id)
    assert 10 <= len(lessons) <= 14
    assert all(lesson.quiz_id for lesson in lessons)


WEB_ADDRESS = re.compile(r"\b(?:https?://)?(?:[a-z0-9-]+\.)+(?:vn|com|net|org)\b", re.I)
PHONE_NUMBER = re.compile(r"\b\d[\d .]{7,}\d\b")


def test_walkthroughs_name_only_official_addresses_and_no_phone_numbers(content):
    for walkthrough in content.walkthroughs():
        text = walkthrough.source_path.read_text(encoding="utf-8")
        for address in WEB_ADDRESS.findall(text):
            assert address.lower().endswith("gov.vn"), (walkthrough.id, address)
        assert PHONE_NUMBER.findall(text) == [], walkthrough.id
