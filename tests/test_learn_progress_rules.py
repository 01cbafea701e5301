"""The progress rules on a small known content set: what counts as achieved or completed."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.framework import default_framework
from app.content.models import LearningPath, Lesson, MarkdownText, Quiz
from app.content.registry import ContentRegistry
from app.learn.progress_rules import (
    achievable_competences,
    competences_achieved,
    completed_lessons,
    expected_level,
    passed_quizzes,
    path_completed,
)
from app.models import LessonProgress, LessonStatus, QuizResult, Role


def lesson(lesson_id, competences, levels, audience="student", quiz=True) -> Lesson:
    return Lesson(
        id=lesson_id, kind="lesson", title=lesson_id, summary="", competences=competences,
        levels=levels, audiences=(audience,), minutes=10, prerequisites=(),
        quiz_id=f"{lesson_id}-quiz" if quiz else None, task_id=None, key_steps=(),
        source_path=Path(f"/x/{lesson_id}.md"), relative_path=f"lessons/{lesson_id}.md",
        content_hash="0", body=MarkdownText("", "/learn/images", ""), intro=None, steps=(),
        images=(),
    )  # fmt: skip


def quiz_for(item: Lesson) -> Quiz:
    return Quiz(
        id=item.quiz_id, title=item.quiz_id, competences=item.competences, pass_mark=70,
        shuffle_options=False, draw_count=None, questions=(), version="v1",
        relative_path=f"quizzes/{item.quiz_id}.yaml",
    )  # fmt: skip


LESSONS = [
    lesson("a", ("1.1",), ("TC1", "TC2")),  # 1.1 at TC1 and TC2
    lesson("b", ("1.2",), ("TC1",)),  # 1.2 at TC1 needs b and c
    lesson("c", ("1.2", "2.1"), ("TC1",)),  # 2.1 at TC1 needs only c
    lesson("d", ("1.2",), ("TC2",)),  # 1.2 at TC2 needs only d
    lesson("e", ("3.1",), ("TC1",), quiz=False),  # no quiz: 3.1 not achievable
    lesson("f", ("1.1",), ("TC1",), audience="parent"),  # another audience
]


@pytest.fixture
def content():
    return ContentRegistry(
        root=Path("/x"),
        framework=default_framework(),
        lessons=LESSONS,
        quizzes=[quiz_for(x) for x in LESSONS if x.quiz_id],
        paths=[
            LearningPath("p", "Lộ trình", "TC1", "student", ("a", "b", "e")),
            LearningPath("empty", "Trống", "TC1", "student", ()),
        ],
    )


@pytest.mark.parametrize(
    ("passed", "level", "achieved"),
    [
        (set(), "TC1", set()),
        ({"a-quiz"}, "TC1", {"1.1"}),
        ({"a-quiz", "b-quiz"}, "TC1", {"1.1"}),  # 1.2 still needs c
        ({"c-quiz"}, "TC1", {"2.1"}),
        ({"a-quiz", "b-quiz", "c-quiz"}, "TC1", {"1.1", "1.2", "2.1"}),
        ({"a-quiz", "b-quiz", "c-quiz"}, "TC2", {"1.1"}),  # TC2's 1.2 needs d
        ({"d-quiz"}, "TC2", {"1.2"}),
        ({"f-quiz"}, "TC1", set()),  # a parent's quiz does not count for students
    ],
)
def test_competence_is_achieved_when_every_covering_quiz_is_passed(
    content, passed, level, achieved
):
    assert competences_achieved(passed, level, "student", content) == achieved


def test_competences_without_a_quiz_lesson_are_not_achievable(content):
    assert achievable_competences("TC1", "student", content) == {"1.1", "1.2", "2.1"}
    assert achievable_competences("TC1", "parent", content) == {"1.1"}
    assert achievable_competences("NC1", "student", content) == set()


def test_path_needs_every_lesson_completed_and_every_quiz_passed(content):
    assert path_completed("p", {"a", "b", "e"}, {"a-quiz", "b-quiz"}, content)
    assert not path_completed("p", {"a", "b", "e"}, {"a-quiz"}, content)  # b's quiz
    assert not path_completed("p", {"a", "b"}, {"a-quiz", "b-quiz"}, content)  # e not done
    assert path_completed(content.path("p"), {"a", "b", "e"}, {"a-quiz", "b-quiz"}, content)
    assert not path_completed("empty", set(), set(), content)
    assert not path_completed("missing", {"a"}, {"a-quiz"}, content)


def test_expected_level_follows_the_grade_and_the_role(app, make):
    school = make.school()
    sixth, eighth = make.classroom(school, grade=6), make.classroom(school, name="8A", grade=8)
    pupil6, pupil8, unplaced = (make.user(Role.STUDENT, school) for _ in range(3))
    make.enrol(pupil6, sixth)
    make.enrol(pupil8, eighth)
    assert expected_level(pupil6) == "TC1"
    assert expected_level(pupil8) == "TC2"
    assert expected_level(unplaced) is None
    for role in (Role.STAFF, Role.TEACHER, Role.SCHOOL_ADMIN):
        assert expected_level(make.user(role, school)) == "NC1"
    assert expected_level(make.user(Role.PARENT)) == "CB2"
    assert expected_level(make.user(Role.WARD_OFFICER)) is None
    assert expected_level(make.user(Role.ADMIN)) is None


def test_progress_of_many_learners_takes_one_query_each(app, make, count_queries):
    from app.extensions import db

    learners = [make.user(Role.STUDENT) for _ in range(5)]
    first, second = learners[0].id, learners[1].id
    db.session.add_all(
        [
            QuizResult(user_id=first, quiz_id="a-quiz", best_score=100, passed=True),
            QuizResult(user_id=first, quiz_id="b-quiz", best_score=40, passed=False),
            QuizResult(user_id=second, quiz_id="b-quiz", best_score=80, passed=True),
            LessonProgress(user_id=first, lesson_id="a", status=LessonStatus.COMPLETED),
            LessonProgress(user_id=first, lesson_id="b", status=LessonStatus.IN_PROGRESS),
        ]
    )
    db.session.commit()
    ids = [x.id for x in learners]
    with count_queries() as queries:
        passed = passed_quizzes(ids)
        completed = completed_lessons(ids)
    assert len(queries) == 2
    assert passed[first] == {"a-quiz"}
    assert passed[second] == {"b-quiz"}
    assert passed[ids[2]] == set()
    assert completed[first] == {"a"}
    assert completed[second] == set()
    assert passed_quizzes([]) == {}


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a ``with`` block."""
    import contextlib

    import sqlalchemy as sa

    from app.extensions import db

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counter
