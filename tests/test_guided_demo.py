"""The demo's guided sessions: what a visitor signing in as demo-student or demo-teacher sees."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import GuidedSession, Relative, RelativeLink, ReviewStatus, SessionStatus, User
from app.outcomes import relatives_helped


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_demo_student_has_a_grandmother_and_a_session_waiting_for_demo_teacher(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    student = _user("demo-student")
    link = db.session.scalar(sa.select(RelativeLink).where(RelativeLink.student_id == student.id))
    assert link.relation == "bà nội" and link.consent_on and link.parent_informed_on
    pending = db.session.scalar(
        sa.select(GuidedSession).where(GuidedSession.student_id == student.id)
    )
    assert pending.status == SessionStatus.PASSED
    assert pending.review_status == ReviewStatus.PENDING
    client.post("/login", data={"username": "demo-teacher", "password": "hocso-demo"})
    html = client.get("/guided/review").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Đang chờ xác minh (1)" in html


def test_demo_siblings_share_the_grandmother_and_classmates_have_confirmed_sessions(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    grandmother = db.session.scalar(
        sa.select(Relative).where(Relative.full_name == "Nguyễn Thị Lan")
    )
    assert len(grandmother.links) == 2  # demo-student and their sibling dq-8a1-01
    ids = [_user(u).id for u in ("dq-6a1-02", "dq-6a1-03", "dq-6a1-04", "dq-8a1-01")]
    confirmed = db.session.scalars(
        sa.select(GuidedSession.review_status).where(GuidedSession.student_id.in_(ids))
    ).all()
    assert confirmed == [ReviewStatus.CONFIRMED] * 4
    assert relatives_helped(ids) == dict.fromkeys(ids, 1)
