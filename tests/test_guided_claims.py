"""A relative claims their own parent account with a one-time code the family gives her."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.guided import claims, review
from app.guided.exceptions import ClaimError
from app.models import ClaimCode, ParentLink, Relative, Role, User
from app.models.base import utcnow
from tests.guided_support import register, run_session


@pytest.fixture
def grandmother(app, org):
    """Registered by two siblings, An and Chi."""
    with app.test_request_context():
        relative = register(org.student).relative
        register(org.classmate, same_as_id=relative.id)
    return relative


def _issue(client, auth, relative_id: int, username: str = "hs-an") -> str:
    auth.login(username)
    html = client.post(f"/guided/relatives/{relative_id}/claim-code").get_data(as_text=True)
    auth.logout()
    return re.search(r'class="claim-code"[^>]*>([\d-]+)<', html).group(1)


def _claim(client, code: str, username="ba.lan1956", password="mat-khau-ba-lan"):
    return client.post(
        "/guided/claim",
        data={
            "code": code,
            "username": username,
            "password": password,
            "confirm": password,
        },
    )


def test_the_code_is_shown_once_and_only_its_hash_is_stored(client, auth, grandmother):
    auth.login("hs-an")
    response = client.post(f"/guided/relatives/{grandmother.id}/claim-code")
    html = response.get_data(as_text=True)
    code = re.search(r'class="claim-code"[^>]*>(\d{4}-\d{4}-\d{4})<', html).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    assert "/guided/claim" in html
    stored = db.session.scalar(sa.select(ClaimCode))
    assert code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - utcnow() > timedelta(days=13)


def test_a_relative_claims_an_account_linked_to_both_siblings(client, auth, org, grandmother):
    code = _issue(client, auth, grandmother.id)
    response = _claim(client, code.replace("-", " "))
    assert response.headers["Location"].endswith("/family/")
    parent = db.session.scalar(sa.select(User).where(User.username == "ba.lan1956"))
    assert parent.role == Role.PARENT and parent.full_name == "Nguyễn Thị Lan"
    assert parent.birth_year == 1956 and parent.school_id == org.school.id
    db.session.expire_all()
    assert db.session.get(Relative, grandmother.id).account_id == parent.id
    links = db.session.scalars(sa.select(ParentLink).where(ParentLink.parent_id == parent.id))
    assert sorted((link.student_id, link.relation) for link in links) == sorted(
        [(org.student.id, "bà nội"), (org.classmate.id, "bà nội")]
    )
    home = client.get("/family/").get_data(as_text=True)  # signed in as the new parent
    assert "Chào Nguyễn Thị Lan!" in home
    assert "Trần Minh An" in home and "Phạm Ngọc Chi" in home


def test_a_code_works_once(client, auth, grandmother):
    code = _issue(client, auth, grandmother.id)
    _claim(client, code)
    client.post("/logout")
    response = _claim(client, code, username="ba.lan.2")
    assert response.status_code == 400
    assert "đã được dùng" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == Role.PARENT, User.username.like("ba.lan%"))) == 1  # fmt: skip


def test_a_wrong_code_is_refused_and_nothing_is_written(client, auth, grandmother):
    code = _issue(client, auth, grandmother.id)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = _claim(client, wrong)
    assert response.status_code == 400
    assert "Mã không đúng" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.username == "ba.lan1956")) is None
    assert db.session.scalar(sa.select(ClaimCode.used_at)) is None


def test_the_claim_asks_no_birth_year(client):
    html = client.get("/guided/claim").get_data(as_text=True)
    assert 'name="birth_year"' not in html and 'name="code"' in html
    assert "/privacy/" in html  # the notice is one tap away


def test_an_expired_code_is_refused(app, org, grandmother):
    with app.test_request_context():
        code = claims.issue_code(grandmother, org.student).code
        db.session.scalar(sa.select(ClaimCode)).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        with pytest.raises(ClaimError, match="hết hạn"):
            claims.check_code(code)


def test_a_new_code_cancels_the_previous_one(app, org, grandmother):
    with app.test_request_context():
        old = claims.issue_code(grandmother, org.student).code
        new = claims.issue_code(grandmother, org.classmate).code
        with pytest.raises(ClaimError, match="hết hạn"):
            claims.check_code(old)
        assert claims.check_code(new).relative_id == grandmother.id


@pytest.mark.parametrize("code", ["", "1234", "abcd-efgh-ijkl", "1234-5678", "1234-5678-9012"])
def test_a_malformed_or_unknown_code_gets_a_plain_message(client, grandmother, code):
    response = _claim(client, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mã gồm 12 chữ số" in html or "Hãy nhập mã" in html or "Mã không đúng" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == Role.PARENT, User.username == "ba.lan1956")) == 0  # fmt: skip


def test_the_username_must_be_free_and_simple(client, auth, org, grandmother):
    code = _issue(client, auth, grandmother.id)
    assert "đã có người dùng" in _claim(client, code, username="hs-an").get_data(as_text=True)
    assert "chỉ gồm chữ không dấu" in _claim(client, code, username="Bà Lan").get_data(as_text=True)
    assert db.session.scalar(sa.select(ClaimCode.used_at)) is None


def test_failed_attempts_are_rate_limited(client, grandmother):
    for _ in range(10):
        assert _claim(client, "0000-0000-0000").status_code == 400
    assert _claim(client, "0000-0000-0000").status_code == 429


def test_only_a_student_who_registered_the_relative_can_issue_a_code(
    client, auth, org, grandmother
):
    auth.login("hs-khac")
    assert client.post(f"/guided/relatives/{grandmother.id}/claim-code").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClaimCode)) == 0


def test_no_code_for_a_relative_who_already_has_an_account(client, auth, grandmother):
    _claim(client, _issue(client, auth, grandmother.id))
    client.post("/logout")
    auth.login("hs-chi")
    response = client.post(f"/guided/relatives/{grandmother.id}/claim-code")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "đã có tài khoản riêng" in html


def test_a_signed_in_user_is_sent_home_from_the_claim_page(client, auth, grandmother):
    auth.login("hs-an")
    response = client.get("/guided/claim")
    assert response.status_code == 302


def test_the_parent_home_shows_linked_children_and_own_tasks_only(app, client, auth, org):
    with app.test_request_context():
        lan = register(org.student).relative
        session = run_session(org.student, lan.id)
        review.confirm(session, org.teacher, None, session.version)
        other = register(org.other_student, full_name="Hoàng Văn Lực", birth_year=1949)
        run_session(org.other_student, other.relative_id)
    code = _issue(client, auth, lan.id)
    _claim(client, code)
    html = client.get("/family/").get_data(as_text=True)
    assert "Việc bác đã làm được" in html and "Gọi video cho người thân qua Zalo" in html
    assert "Người thân đã hướng dẫn thành công: 1" in html
    assert "Đỗ Gia Huy" not in html and "Phạm Ngọc Chi" not in html
    assert "/learn/walkthroughs/nt-kiem-chung-thong-tin/steps/1" in html  # first not yet done
