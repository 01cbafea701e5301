"""``flask bench seed``: bulk data for the benchmarks, realistic and complete enough to
drive every dashboard."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Classroom,
    GuidedSession,
    LessonProgress,
    QuizAttempt,
    QuizResult,
    SessionStep,
    User,
    Ward,
)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_makes_a_ward_of_schools_with_activity(app, runner, client):
    result = runner.invoke(
        args=["bench", "seed", "--schools", "2", "--students", "80", "--rows", "120"]
    )
    assert result.exit_code == 0, result.output
    assert "2 trường × 80 học sinh" in result.output
    students = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.role == "student")
    )
    assert students == 160
    assert _count(Classroom) == 4  # two classes of 40 per school
    rows = sum(_count(m) for m in (LessonProgress, QuizResult, QuizAttempt, GuidedSession,
                                   SessionStep))  # fmt: skip
    assert 160 * 60 < rows < 160 * 200  # about 120 per pupil, plus the staff's
    assert _count(GuidedSession) > 0 and _count(SessionStep) > _count(GuidedSession)

    again = runner.invoke(args=["bench", "seed", "--schools", "2", "--students", "80"])
    assert "đã có sẵn" in again.output
    assert _count(Ward) == 1

    # the seeded accounts sign in and their pages work
    teacher = db.session.scalar(sa.select(User).where(User.username == "bench-2x80-t01-gv01"))
    from bench.seed import BENCH_PASSWORD

    client.post("/login", data={"username": teacher.username, "password": BENCH_PASSWORD})
    classroom = db.session.scalar(
        sa.select(Classroom).where(Classroom.homeroom_teacher_id == teacher.id)
    )
    page = client.get(f"/teach/classes/{classroom.id}")
    assert page.status_code == 200 and page.get_data(as_text=True).count("/teach/students/") == 40
    client.post("/logout")
    client.post("/login", data={"username": "bench-2x80-phuong", "password": BENCH_PASSWORD})
    assert client.get("/ward/").status_code == 200
