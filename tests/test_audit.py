"""The security log: events are recorded with who/what/whom/when/where, a school admin
reads only their own school's rows, the site admin reads all, nothing can change a row."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import AuditEvent
from tests.test_migrations import fresh_database_url  # noqa: F401 - fixture


def _events(action=None):
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query).all()


def test_failed_sign_in_is_logged_with_username_address_and_school(client, auth, org):
    auth.login("hs-an", "wrong-password")
    auth.login("nobody-here", "whatever")
    known, unknown = _events(audit.actions.LOGIN_FAILED)
    assert known.target_user_id == org.student.id
    assert known.school_id == org.school.id
    assert known.actor_id is None
    assert known.ip_address == "127.0.0.1"
    assert known.detail["username"] == "hs-an"
    assert "wrong-password" not in str(known.detail)
    assert unknown.school_id is None and unknown.target_user_id is None
    assert unknown.detail == {"username": "nobody-here", "reason": "unknown_user"}


def test_refusal_is_logged_with_the_refused_user_and_path(client, auth, org):
    auth.login("hs-an")
    assert client.get("/school/").status_code == 403
    (event,) = _events(audit.actions.ACCESS_DENIED)
    assert event.actor_id == org.student.id
    assert event.actor_role == "student"
    assert event.path == "/school/"
    assert event.school_id == org.school.id


def test_record_joins_the_callers_transaction(app, org):
    with app.test_request_context("/x"):
        audit.record("test.thing", target=org.classmate, actor=org.teacher, detail={"n": 1})
        db.session.rollback()
    assert _events("test.thing") == []
    with app.test_request_context("/x"):
        audit.record("test.thing", target=org.classmate, actor=org.teacher, commit=True)
    (event,) = _events("test.thing")
    assert event.target_type == "users" and event.target_id == org.classmate.id
    assert event.target_user_id == org.classmate.id
    assert event.actor_id == org.teacher.id


def _log_page(client, **params):
    return client.get("/security-log/", query_string=params)


def test_school_admin_sees_own_school_only(client, auth, org, app):
    with app.test_request_context("/"):
        audit.record("test.mine", target=org.student, actor=org.teacher, commit=True)
        audit.record("test.theirs", target=org.other_student, actor=org.other_teacher,
                     commit=True)  # fmt: skip
    auth.login("bgh-hai")
    html = _log_page(client).get_data(as_text=True)
    assert "test.mine" in html and "hs-an" in html
    assert "test.theirs" not in html and "hs-khac" not in html
    auth.logout()
    auth.login("bgh-khac")
    html = _log_page(client).get_data(as_text=True)
    assert "test.theirs" in html and "test.mine" not in html


def test_site_admin_sees_every_school_and_filters(client, auth, org, app):
    with app.test_request_context("/"):
        audit.record("test.mine", target=org.student, actor=org.teacher, commit=True)
        audit.record("test.theirs", target=org.other_student, actor=org.other_teacher,
                     commit=True)  # fmt: skip
    auth.login("hs-an", "wrong")
    auth.login("quan-tri")
    html = _log_page(client).get_data(as_text=True)
    assert "test.mine" in html and "test.theirs" in html
    filtered = _log_page(client, action=audit.actions.LOGIN_FAILED).get_data(as_text=True)
    assert "Đăng nhập sai" in filtered and "test.mine" not in filtered
    by_school = _log_page(client, school=str(org.other_school.id)).get_data(as_text=True)
    assert "test.theirs" in by_school and "test.mine" not in by_school
    by_user = _log_page(client, username="HS-KHAC").get_data(as_text=True)
    assert "test.theirs" in by_user and "test.mine" not in by_user


def test_other_roles_cannot_read_the_log(client, auth, org):
    for username in ("gv-ha", "hs-an", "phuong-khoa", "ph-mai"):
        auth.login(username)
        assert _log_page(client).status_code == 403, username
        auth.logout()


def test_bad_filters_get_a_message_and_400(client, auth, org):
    auth.login("bgh-hai")
    response = _log_page(client, first="2026-13-45")
    assert response.status_code == 400
    response = _log_page(client, first="2026-12-03", last="2026-12-01")
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in response.get_data(as_text=True)
    assert _log_page(client, action="nope").status_code == 400


def test_date_filter_uses_vietnam_days_and_pages(client, auth, org, app, monkeypatch):
    # 23:30 on 1 Dec in Vietnam is 16:30 UTC; 00:30 on 2 Dec is 17:30 UTC on 1 Dec.
    with app.test_request_context("/"):
        monkeypatch.setattr("app.dates.utcnow", lambda: datetime(2026, 12, 1, 16, 30))
        audit.record("test.late", target=org.student, actor=org.teacher, commit=True)
        monkeypatch.setattr("app.dates.utcnow", lambda: datetime(2026, 12, 1, 17, 30))
        for _ in range(55):
            audit.record("test.early", target=org.student, actor=org.teacher)
        db.session.commit()
    auth.login("bgh-hai")
    first_day = _log_page(client, first="2026-12-01", last="2026-12-01").get_data(as_text=True)
    assert "test.late" in first_day and "test.early" not in first_day
    second = _log_page(client, first="2026-12-02", last="2026-12-02")
    html = second.get_data(as_text=True)
    assert "Có 55 việc" in html and "Trang 1 / 2" in html
    assert "test.late" not in html
    page_two = _log_page(client, first="2026-12-02", last="2026-12-02", page=2)
    assert page_two.get_data(as_text=True).count("test.early") == 5


def test_postgresql_refuses_to_change_or_delete_log_rows(app, fresh_database_url):  # noqa: F811
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("the append-only trigger is PostgreSQL's")
    from flask_migrate import upgrade

    from app import create_app
    from config import TestingConfig

    class MigrationConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = fresh_database_url

    migrated = create_app(MigrationConfig)
    with migrated.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO audit_events (created_at, action) "
                                 "VALUES (now(), 'test.row')"))  # fmt: skip
        for statement in ("UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(sa.text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT action FROM audit_events")).scalars().all() == [
                "test.row"
            ]
        db.session.remove()
        db.engine.dispose()


def test_details_are_shown_in_vietnamese(client, auth, org):
    auth.login("hs-an", "wrong-password")
    auth.login("bgh-hai")
    html = _log_page(client).get_data(as_text=True)
    assert "tên đăng nhập: hs-an; lý do: sai mật khẩu" in html
    assert "wrong_password" not in html
