"""The teacher's verification queue: who sees which session, confirm, reject with a reason."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.guided import review
from app.models import Certificate, GuidedSession, ReviewPolicy, ReviewStatus, Role
from tests.guided_support import register, run_session


@pytest.fixture
def pending(app, org):
    """A passed session of the teacher's student, and one of another school's student."""
    with app.test_request_context():
        mine = run_session(org.student, register(org.student).relative_id)
        theirs = run_session(
            org.other_student,
            register(org.other_student, full_name="Hoàng Văn Lực", birth_year=1949).relative_id,
        )
    return mine, theirs


def _reload(session_id: int) -> GuidedSession:
    db.session.expire_all()
    return db.session.get(GuidedSession, session_id)


def _version(html: str, session_id: int) -> str:
    form = html[html.index(f"/guided/review/{session_id}/confirm") :]
    return re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)


def test_the_homeroom_teacher_sees_their_classs_pending_sessions_only(client, auth, pending):
    mine, theirs = pending
    auth.login("gv-ha")
    html = client.get("/guided/review").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Trần Minh An" in html
    assert "Hoàng Văn Lực" not in html
    assert "Đang chờ xác minh (1)" in html
    assert "Mở ứng dụng Zalo" in html  # the timeline, step by step
    assert "đúng 4/4 câu" in html
    assert client.get(f"/guided/review/{theirs.id}").status_code == 404
    assert client.post(f"/guided/review/{theirs.id}/confirm", data={}).status_code == 404
    assert _reload(theirs.id).review_status == ReviewStatus.PENDING


def test_a_teacher_of_another_class_in_the_school_does_not_see_it(client, auth, org, pending, make):
    make.user(Role.TEACHER, org.school, username="gv-khac-lop")
    auth.login("gv-khac-lop")
    assert "Nguyễn Thị Lan" not in client.get("/guided/review").get_data(as_text=True)
    assert client.get(f"/guided/review/{pending[0].id}").status_code == 404


def test_the_school_admin_sees_the_whole_school(client, auth, pending):
    auth.login("bgh-hai")
    html = client.get("/guided/review").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Hoàng Văn Lực" not in html


def test_the_teacher_confirms_a_session(client, auth, org, pending):
    mine, _ = pending
    auth.login("gv-ha")
    html = client.get("/guided/review").get_data(as_text=True)
    response = client.post(
        f"/guided/review/{mine.id}/confirm",
        data={"version": _version(html, mine.id), "note": "Đã gọi điện cho gia đình"},
    )
    assert response.headers["Location"].endswith("/guided/review")
    page = client.get("/guided/review").get_data(as_text=True)
    assert "Đã xác nhận: Nguyễn Thị Lan" in page and "Đang chờ xác minh (0)" in page
    session = _reload(mine.id)
    assert session.review_status == ReviewStatus.CONFIRMED
    assert session.reviewed_by_id == org.teacher.id
    assert session.review_reason == "Đã gọi điện cho gia đình"


def test_a_rejection_needs_a_reason_and_withdraws_the_credit(client, auth, pending):
    mine, _ = pending
    auth.login("gv-ha")
    response = client.post(f"/guided/review/{mine.id}/reject", data={"reason": "  "})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hãy ghi lý do từ chối." in html
    assert _reload(mine.id).review_status == ReviewStatus.PENDING
    client.post(
        f"/guided/review/{mine.id}/reject", data={"reason": "Gia đình nói bà chưa được hướng dẫn"}
    )
    session = _reload(mine.id)
    assert session.review_status == ReviewStatus.REJECTED
    assert session.review_reason == "Gia đình nói bà chưa được hướng dẫn"
    auth.logout()
    auth.login("hs-an")
    html = client.get(f"/guided/relatives/{session.relative_id}").get_data(as_text=True)
    assert "Không được tính" in html and "Gia đình nói bà chưa được hướng dẫn" in html
    assert "Đã làm được" in html and "Chưa có việc nào được chứng nhận." in html


def test_a_confirmed_session_can_still_be_withdrawn_from_its_page(client, auth, org, pending):
    mine, _ = pending
    with client.application.test_request_context():
        review.confirm(mine, org.teacher, None, mine.version)
    auth.login("gv-ha")
    html = client.get(f"/guided/review/{mine.id}").get_data(as_text=True)
    assert "Thu hồi (từ chối)" in html
    client.post(f"/guided/review/{mine.id}/reject", data={"reason": "Phát hiện sau"})
    assert _reload(mine.id).review_status == ReviewStatus.REJECTED


def test_two_reviewers_at_once_the_second_is_told(client, auth, org, pending):
    mine, _ = pending
    auth.login("gv-ha")
    html = client.get("/guided/review").get_data(as_text=True)
    version = _version(html, mine.id)
    with client.application.test_request_context():
        review.confirm(mine, org.school_admin, None, mine.version)  # the admin was faster
    response = client.post(
        f"/guided/review/{mine.id}/reject", data={"reason": "Không rõ", "version": version}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "vừa được người khác xem xét" in page
    assert _reload(mine.id).review_status == ReviewStatus.CONFIRMED


def test_flags_are_shown_in_the_queue(app, client, auth, org, monkeypatch):
    monkeypatch.setitem(app.config, "GUIDED_MIN_SECONDS_PER_STEP", 600)
    with app.test_request_context():
        run_session(org.student, register(org.student).relative_id)
    auth.login("gv-ha")
    html = client.get("/guided/review").get_data(as_text=True)
    assert "Làm quá nhanh" in html


def test_spot_checked_sessions_show_why_they_are_in_the_queue(app, client, auth, org):
    org.school.review_policy = ReviewPolicy.SPOT_CHECK
    org.school.review_sample_percent = 100
    db.session.commit()
    with app.test_request_context():
        run_session(org.student, register(org.student).relative_id)
    auth.login("gv-ha")
    assert "Được chọn ngẫu nhiên để kiểm tra" in client.get("/guided/review").get_data(as_text=True)


def test_the_queue_takes_a_fixed_number_of_queries(app, client, auth, org, make):
    """Loading the queue does not run one query per session (no N+1)."""

    def add_pending(n: int) -> None:
        with app.test_request_context():
            student = make.user(Role.STUDENT, org.school, username=f"hs-q{n}")
            make.enrol(student, org.classroom)
            run_session(student, register(student, full_name=f"Người {n}").relative_id)

    def queries_for_queue() -> tuple[int, str]:
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            html = client.get("/guided/review").get_data(as_text=True)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements), html

    auth.login("gv-ha")
    add_pending(0)
    one, html = queries_for_queue()
    assert "Đang chờ xác minh (1)" in html
    for n in range(1, 5):
        add_pending(n)
    five, html = queries_for_queue()
    assert "Đang chờ xác minh (5)" in html
    assert five == one


def test_confirming_issues_the_relatives_certificate_and_rejecting_revokes_it(app, org, pending):
    mine, _ = pending
    with app.test_request_context():
        review.confirm(mine, org.teacher, None, mine.version)
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.source_session_id == mine.id)
        )
        assert certificate is not None and certificate.holder_relative_id == mine.relative_id
        assert certificate.guided_by_id == org.student.id
        assert certificate.confirmed_by_id == org.teacher.id
        review.reject(mine, org.teacher, "Gia đình nói chưa học", mine.version)
        db.session.refresh(certificate)
        assert certificate.revoked_at is not None


def test_a_certificate_failure_does_not_undo_the_review(app, org, pending, monkeypatch, caplog):
    def broken(session):
        raise RuntimeError("signing key missing")

    monkeypatch.setattr("app.guided.services.issue_for_session", broken)
    mine, _ = pending
    with app.test_request_context():
        review.confirm(mine, org.teacher, None, mine.version)
    assert _reload(mine.id).review_status == ReviewStatus.CONFIRMED
    assert "not synced" in caplog.text
