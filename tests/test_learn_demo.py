"""Demo progress: dashboards have data, demo-student has something left to pass."""

from __future__ import annotations

import sqlalchemy as sa

from app.content import get_content
from app.extensions import db
from app.learn.progress_rules import competences_achieved, completed_lessons, passed_quizzes
from app.models import QuizAttempt, QuizResult, User


def test_demo_progress_is_deterministic_and_leaves_the_journey_open(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    attempts = db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == attempts

    student = db.session.scalar(sa.select(User).where(User.username == "demo-student"))
    content = get_content()
    path = content.path_lessons("core-tc1")
    passed = passed_quizzes([student.id])[student.id]
    assert passed == {lesson.quiz_id for lesson in path[:3]}
    assert completed_lessons([student.id])[student.id] == {lesson.id for lesson in path[:3]}
    assert competences_achieved(passed, "TC1", "student", content) >= {"1.1", "1.3"}
    failed = db.session.scalar(
        sa.select(QuizResult).where(
            QuizResult.user_id == student.id, QuizResult.quiz_id == path[3].quiz_id
        )
    )
    assert failed is not None and not failed.passed and failed.failed_count == 1

    learners_with_passes = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(QuizResult.user_id))).where(QuizResult.passed)
    )
    assert learners_with_passes >= 10  # classmates and the grade 8 class too
