"""Who sees which certificate: the family, their teacher, their school — nobody else."""

from __future__ import annotations

import pytest

from app.certificates import services
from app.extensions import db
from app.models import Role
from tests import factories
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    certificate_files,
    pass_lessons,
    relative,
    session,
)


@pytest.fixture
def grandma_certificate(org):
    grandma = relative(org.student)
    [certificate] = services.issue_for_session(
        session(org.student, grandma, VNEID, reviewer=org.teacher)
    ).issued
    db.session.commit()
    return certificate


def _who(org, name):
    return getattr(org, name)


ALLOWED = ["student", "teacher", "school_admin"]
REFUSED = [
    "classmate", "other_student", "other_teacher", "other_school_admin", "staff", "parent",
    "ward_officer", "admin",
]  # fmt: skip


@pytest.mark.parametrize("name", ALLOWED + REFUSED)
def test_a_relatives_certificate_is_seen_by_her_family_teacher_and_school_only(
    client, auth, org, grandma_certificate, name
):
    user = _who(org, name)
    auth.login(user.username)
    urls = [
        f"/certificates/{grandma_certificate.id}",
        f"/certificates/{grandma_certificate.id}/pdf",
        f"/certificates/{grandma_certificate.id}/credential.json",
    ]
    statuses = {client.get(url).status_code for url in urls}
    assert statuses == ({200} if name in ALLOWED else {403}), (name, statuses)


def test_a_second_teacher_of_the_same_school_who_is_not_homeroom_sees_nothing(
    client, auth, org, grandma_certificate
):
    colleague = factories.user(Role.TEACHER, org.school, username="gv-khac-lop")
    auth.login(colleague.username)
    assert client.get(f"/certificates/{grandma_certificate.id}").status_code == 403


def test_a_relative_who_claimed_her_account_sees_her_certificate(
    client, auth, org, grandma_certificate
):
    account = factories.user(Role.PARENT, org.school, username="ba-huong")
    grandma_certificate.holder_relative.account_id = account.id
    db.session.commit()
    auth.login(account.username)
    assert client.get(f"/certificates/{grandma_certificate.id}").status_code == 200
    page = client.get("/certificates/").get_data(as_text=True)
    assert grandma_certificate.achievement_title in page


def test_missing_certificates_are_404_for_everyone_allowed(client, auth, org):
    auth.login(org.school_admin.username)
    for url in ("/certificates/999999", "/certificates/999999/pdf"):
        assert client.get(url).status_code == 404
    assert client.post("/certificates/999999/revoke", data={"reason": "x" * 10}).status_code == 404


def test_the_student_sees_their_relatives_certificates_on_their_page(
    client, auth, org, grandma_certificate
):
    auth.login(org.student.username)
    page = client.get("/certificates/").get_data(as_text=True)
    assert "Người thân của em" in page
    assert "Nguyễn Thị Hường" in page
    assert grandma_certificate.achievement_title in page
    assert f"/certificates/{grandma_certificate.id}/pdf" in page
    detail = client.get(f"/certificates/{grandma_certificate.id}").get_data(as_text=True)
    assert "mã nhận tài khoản" in detail  # she has no account of her own yet

    auth.logout()
    auth.login(org.classmate.username)
    other = client.get("/certificates/").get_data(as_text=True)
    assert grandma_certificate.achievement_title not in other


def test_a_learner_sees_their_own_path_certificate(client, auth, org):
    from app.content import get_content

    content = get_content()
    pass_lessons(org.student, content.path("core-tc1").lesson_ids, content)
    services.issue_for_user(org.student)
    db.session.commit()
    auth.login(org.student.username)
    page = client.get("/certificates/").get_data(as_text=True)
    assert "Lộ trình cốt lõi lớp 6–7" in page


def test_only_an_admin_of_the_issuing_school_revokes(client, auth, org, grandma_certificate):
    url = f"/certificates/{grandma_certificate.id}/revoke"
    for name in ("teacher", "other_school_admin"):
        auth.login(_who(org, name).username)
        assert client.post(url, data={"reason": "Không đúng sự thật"}).status_code == 403
        auth.logout()
    db.session.refresh(grandma_certificate)
    assert not grandma_certificate.is_revoked

    auth.login(org.school_admin.username)
    detail = client.get(f"/certificates/{grandma_certificate.id}").get_data(as_text=True)
    assert "Thu hồi giấy chứng nhận này" in detail
    short = client.post(url, data={"reason": "x"})
    assert short.status_code == 400
    assert "Lý do cần từ 5 đến 500 ký tự" in short.get_data(as_text=True)
    response = client.post(url, data={"reason": "Gia đình báo chưa tự làm"})
    assert response.status_code == 302
    db.session.refresh(grandma_certificate)
    assert grandma_certificate.is_revoked
    assert grandma_certificate.revoked_by_id == org.school_admin.id
    again = client.post(url, data={"reason": "Lần nữa cho chắc"}, follow_redirects=True)
    assert "đã bị thu hồi từ trước" in again.get_data(as_text=True)


def test_revoking_needs_the_form_token(app, client, auth, org, grandma_certificate, monkeypatch):
    auth.login(org.school_admin.username)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(
        f"/certificates/{grandma_certificate.id}/revoke", data={"reason": "Không có token"}
    )
    assert response.status_code == 400
    db.session.refresh(grandma_certificate)
    assert not grandma_certificate.is_revoked


@pytest.mark.parametrize(
    ("name", "status"),
    [("teacher", 200), ("school_admin", 200), ("other_teacher", 403), ("other_school_admin", 403)],
)
def test_class_prints_are_for_that_class_only(client, auth, org, name, status):
    auth.login(_who(org, name).username)
    assert client.get(f"/certificates/classes/{org.classroom.id}").status_code == status
    assert client.get(f"/certificates/classes/{org.classroom.id}/pdf").status_code in (
        {302} if status == 200 else {403}
    )


def test_the_class_list_shows_what_each_teacher_may_print(client, auth, org):
    auth.login(org.teacher.username)
    page = client.get("/certificates/classes").get_data(as_text=True)
    assert f"/certificates/classes/{org.classroom.id}" in page
    assert f"/certificates/classes/{org.other_classroom.id}" not in page
