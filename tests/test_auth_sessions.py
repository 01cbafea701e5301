"""Sessions end for real (sign-out, password change, reset), a reset password opens only
the change-password page, common passwords are refused, unknown usernames cost the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import AuditEvent, User
from tests import factories


def _sign_in(client, username, password=factories.PASSWORD, remember=True):
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _cookies(client):
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")}


def _replay(app, cookies, only=None):
    """A fresh browser holding copied cookies: is it signed in?"""
    thief = app.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            thief.set_cookie(name, value)
    return thief.get("/learn/").status_code == 200


def test_copied_cookies_stop_working_after_sign_out(app, client, org):
    _sign_in(client, "hs-an")
    stolen = _cookies(client)
    assert _replay(app, stolen, "session") and _replay(app, stolen, "remember_token")
    client.post("/logout")
    assert not _replay(app, stolen, "session")
    assert not _replay(app, stolen, "remember_token")
    assert not _replay(app, stolen)
    # the real user signs in again as usual
    _sign_in(client, "hs-an")
    assert client.get("/learn/").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, org):
    _sign_in(client, "hs-an")
    other_phone = app.test_client()
    _sign_in(other_phone, "hs-an")
    stolen = _cookies(other_phone)
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "ba-con-meo-tren-mai",
            "confirm": "ba-con-meo-tren-mai",
        },
    )
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 200
    assert other_phone.get("/learn/").status_code == 302
    assert not _replay(app, stolen, "remember_token")
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == audit.actions.PASSWORD_CHANGED)
    ).all()
    assert event.actor_id == org.student.id


def test_reset_ends_the_students_sessions_and_is_logged(app, client, auth, org):
    student_phone = app.test_client()
    _sign_in(student_phone, "hs-an")
    auth.login("gv-ha")
    assert client.post(f"/teach/students/{org.student.id}/reset-password").status_code == 200
    assert student_phone.get("/learn/").status_code == 302
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == audit.actions.PASSWORD_RESET)
    ).all()
    assert (event.actor_id, event.target_user_id) == (org.teacher.id, org.student.id)
    assert event.school_id == org.school.id


def test_remember_me_lasts_at_most_30_days(client, org):
    _sign_in(client, "hs-an")
    cookie = client.get_cookie("remember_token")
    expires = datetime.fromtimestamp(cookie.expires.timestamp(), UTC) if cookie.expires else None
    assert expires is not None
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    assert expires >= datetime.now(UTC) + timedelta(days=29)


def _reset(client, auth, org):
    auth.login("gv-ha")
    html = client.post(f"/teach/students/{org.student.id}/reset-password").get_data(as_text=True)
    auth.logout()
    return html.split('class="code">')[2].split("<")[0]


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/learn/"),
        ("GET", "/certificates/"),
        ("GET", "/guided/"),
        ("POST", "/guided/relatives/new"),
    ],  # fmt: skip
)
def test_one_time_password_opens_only_the_change_page(client, auth, org, method, path):
    password = _reset(client, auth, org)
    _sign_in(client, "hs-an", password, remember=False)
    response = client.open(path, method=method)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/account/password").status_code == 200


def test_forced_change_holds_on_later_sign_ins_until_done(client, auth, org):
    password = _reset(client, auth, org)
    _sign_in(client, "hs-an", password, remember=False)
    client.post("/logout")
    _sign_in(client, "hs-an", password, remember=False)
    assert client.get("/learn/").status_code == 303
    response = client.post(
        "/account/password",
        data={
            "current_password": password,
            "new_password": "ba-con-meo-tren-mai",
            "confirm": "ba-con-meo-tren-mai",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 200
    assert not db.session.get(User, org.student.id).must_change_password


@pytest.mark.parametrize(
    "weak", ["12345678", "password", "matkhau123", "Anhyeuem", "iloveyou", "123456789", "aaaaaaaa"]
)
def test_common_passwords_are_refused_in_vietnamese(client, org, weak):
    _sign_in(client, "hs-an", remember=False)
    before = db.session.get(User, org.student.id).password_hash
    response = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": weak, "confirm": weak},
    )
    assert response.status_code == 400
    assert "Mật khẩu này quá phổ biến" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, org.student.id).password_hash == before


def test_unknown_username_costs_as_much_as_a_known_one(app, client, org, monkeypatch):
    """Counted, not timed (a loaded machine makes timings noisy): both paths run exactly one
    Argon2 verification and no hashing. Before the fix an unknown name cost a hash *and*
    a verification — about twice the time."""
    from argon2 import PasswordHasher

    from app.auth import passwords

    passwords.dummy_verify("warm-up")  # the dummy hash is made once per process
    calls = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counting_hash(self, *args, **kwargs):
        calls.append("hash")
        return real_hash(self, *args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        calls.append("verify")
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    work = {}
    for username in ("hs-an", "nobody-here"):
        calls.clear()
        response = client.post("/login", data={"username": username, "password": "wrong-guess"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)
        work[username] = list(calls)
    assert work["hs-an"] == work["nobody-here"] == ["verify"]
