"""Personal data (Law 91/2025/QH15, Decree 356/2025): notice, consent withdrawal, a copy
of one's own data, deletion requests decided by the school, retention purge, isolation."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit import actions
from app.certificates import services as certificate_services
from app.extensions import db
from app.guided import claims, review
from app.models import (
    AuditEvent,
    Certificate,
    ClaimCode,
    DeletionRequest,
    DeletionStatus,
    GuidedSession,
    ParentLink,
    Relative,
    RelativeLink,
    Role,
    User,
)
from app.outcomes import relatives_helped
from app.privacy.erasure import ERASED_NAME
from tests.certificates_support import certificate_files  # noqa: F401 - autouse fixture
from tests.guided_support import register, run_session

PHONE = "0912345678"
LAN = "Nguyễn Thị Lan"


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _login(client, username, password="correct-horse-battery"):
    client.post("/logout")
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def lan(app, org):
    """Bà Lan, registered by An with her phone; a confirmed session and its certificate;
    a live claim code."""
    with app.test_request_context():
        relative = register(org.student, phone=PHONE).relative
        session = run_session(org.student, relative.id)
        review.confirm(session, org.teacher, None, session.version)
        certificate_services.issue_for_session(session)
        claims.issue_code(relative, org.student)
    return relative


# --- the notice ---------------------------------------------------------------------------


def test_the_notice_is_public_plain_and_linked_from_every_page(client, auth, org):
    page = client.get("/privacy/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for heading in ("Chúng tôi giữ những gì", "Để làm gì", "Giữ trong bao lâu", "Ai được xem",
                    "Bạn có quyền"):  # fmt: skip
        assert heading in html
    assert "365 ngày" in html and "91/2025/QH15" in html
    for url in ("/login", "/guided/claim"):
        assert 'href="/privacy/"' in client.get(url).get_data(as_text=True), url
    auth.login("hs-an")
    form = client.get("/guided/relatives/new").get_data(as_text=True)
    assert form.count('href="/privacy/"') >= 2  # footer and the consent part of the form
    assert 'href="/privacy/my-data"' in form


# --- consent withdrawal -------------------------------------------------------------------


def test_the_registering_student_withdraws_consent_and_only_counts_remain(client, org, lan):
    helped_before = relatives_helped([org.student.id])[org.student.id]
    _login(client, "hs-an")
    confirm = client.get(f"/privacy/relatives/{lan.id}/withdraw")
    assert confirm.status_code == 200 and LAN in confirm.get_data(as_text=True)
    response = client.post(f"/privacy/relatives/{lan.id}/withdraw", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    relative = db.session.get(Relative, lan.id)
    assert (relative.full_name, relative.birth_year, relative.phone) == (ERASED_NAME, None, None)
    assert relative.erased_at is not None
    assert _count(ClaimCode) == 0
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.holder_name == ERASED_NAME
    assert LAN not in json.dumps(certificate.credential, ensure_ascii=False)
    assert relatives_helped([org.student.id])[org.student.id] == helped_before == 1
    for page in ("/guided/", f"/guided/relatives/{lan.id}", "/certificates/"):
        html = client.get(page).get_data(as_text=True)
        assert LAN not in html and PHONE not in html, page
    _login(client, "gv-ha")
    html = client.get(f"/guided/classes/{org.classroom.id}/relatives").get_data(as_text=True)
    assert LAN not in html and PHONE not in html
    assert _count(AuditEvent, AuditEvent.action == actions.CONSENT_WITHDRAWN) == 1


def test_withdrawing_twice_or_without_confirming_changes_nothing(client, org, lan):
    _login(client, "hs-an")
    unconfirmed = client.post(f"/privacy/relatives/{lan.id}/withdraw", data={})
    assert unconfirmed.status_code == 400
    assert "Hãy đánh dấu ô xác nhận" in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Relative, lan.id).full_name == LAN
    client.post(f"/privacy/relatives/{lan.id}/withdraw", data={"confirm": "y"})
    again = client.post(f"/privacy/relatives/{lan.id}/withdraw", data={"confirm": "y"})
    assert again.status_code == 409
    assert "đã rút đồng ý rồi" in again.get_data(as_text=True)
    assert _count(AuditEvent, AuditEvent.action == actions.CONSENT_WITHDRAWN) == 1


def test_the_teacher_withdraws_for_the_class_but_nobody_else_can(client, make, org, lan):
    other_class = make.classroom(org.school, make.user(Role.TEACHER, org.school,
                                 username="gv-tuan"), name="6A2")  # fmt: skip
    make.enrol(make.user(Role.STUDENT, org.school, username="hs-khoa"), other_class)
    for outsider in ("hs-chi", "hs-khoa", "gv-tuan", "hs-khac", "gv-khac", "bgh-khac"):
        _login(client, outsider)
        response = client.post(f"/privacy/relatives/{lan.id}/withdraw", data={"confirm": "y"})
        assert response.status_code in (403, 404), outsider
    db.session.expire_all()
    assert db.session.get(Relative, lan.id).erased_at is None
    _login(client, "gv-ha")
    assert client.post(f"/privacy/relatives/{lan.id}/withdraw",
                       data={"confirm": "y"}).status_code == 302  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Relative, lan.id).full_name == ERASED_NAME


def test_the_relative_withdraws_from_her_own_account(client, org, lan):
    with client.application.test_request_context():
        code = claims.issue_code(lan, org.student).code
    client.post("/guided/claim", data={"code": code, "username": "ba.lan", "password":
                "mat-khau-ba-lan", "confirm": "mat-khau-ba-lan"})  # fmt: skip
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert PHONE in page and "/privacy/withdraw" in page
    response = client.post("/privacy/withdraw", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Relative, lan.id).full_name == ERASED_NAME
    account = db.session.scalar(sa.select(User).where(User.role == Role.PARENT,
                                                      User.id == lan.account_id))  # fmt: skip
    assert account.active is False and account.full_name == ERASED_NAME
    assert _count(ParentLink, ParentLink.parent_id == account.id) == 0
    assert client.get("/family/").status_code == 302  # signed out
    assert _login(client, "ba.lan", "mat-khau-ba-lan").status_code != 302


# --- a copy of one's own data -------------------------------------------------------------


def test_a_student_downloads_their_own_data_and_nobody_elses(client, org, lan):
    with client.application.test_request_context():
        register(org.classmate, full_name="Phạm Văn Tâm", birth_year=1950, phone="0987654321")
    _login(client, "hs-an")
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert "Trần Minh An" in page and LAN in page and PHONE in page
    consent_on = db.session.scalar(sa.select(RelativeLink.consent_on))
    assert f"Đồng ý ngày {consent_on:%d/%m/%Y}" in page
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == "hs-an"
    assert data["classes"] == [{"class": "6A1", "grade": 6, "school_year": "2025-2026"}]
    [registered] = data["relatives_registered"]
    assert registered["full_name"] == LAN and registered["phone"] == PHONE
    assert len(registered["sessions_you_guided"]) == 1
    text = response.get_data(as_text=True)
    assert "Phạm Văn Tâm" not in text and "0987654321" not in text and "Phạm Ngọc Chi" not in text
    assert _count(AuditEvent, AuditEvent.action == actions.DOWNLOAD,
                  AuditEvent.actor_id == org.student.id) == 1  # fmt: skip


def test_a_parent_downloads_her_data_with_her_sessions(client, org, lan):
    with client.application.test_request_context():
        code = claims.issue_code(lan, org.student).code
    client.post("/guided/claim", data={"code": code, "username": "ba.lan", "password":
                "mat-khau-ba-lan", "confirm": "mat-khau-ba-lan"})  # fmt: skip
    data = client.get("/privacy/my-data.json").get_json()
    assert data["as_relative"]["full_name"] == LAN and data["as_relative"]["phone"] == PHONE
    assert len(data["as_relative"]["sessions"]) == 1
    assert len(data["as_relative"]["certificates"]) == 1
    assert data["children_followed"] == [{"name": "Trần Minh An", "relation": "bà nội"}]


# --- deletion requests --------------------------------------------------------------------


def test_a_deletion_request_is_decided_by_the_own_school_admin_with_a_reason(client, org, lan):
    _login(client, "hs-chi")
    assert client.post("/privacy/deletion-request", data={"reason": "Em chuyển trường"}
                       ).status_code == 302  # fmt: skip
    again = client.post("/privacy/deletion-request", data={})
    assert again.status_code == 409 and "đã gửi yêu cầu xoá rồi" in again.get_data(as_text=True)
    request = db.session.scalar(sa.select(DeletionRequest))
    assert request.status == DeletionStatus.PENDING and request.school_id == org.school.id

    _login(client, "bgh-khac")  # another school's admin sees nothing and decides nothing
    assert "Phạm Ngọc Chi" not in client.get("/privacy/deletion-requests").get_data(as_text=True)
    assert client.post(f"/privacy/deletion-requests/{request.id}",
                       data={"decision": "approve", "reason": "x"}).status_code == 404  # fmt: skip

    _login(client, "bgh-hai")
    assert "Phạm Ngọc Chi" in client.get("/privacy/deletion-requests").get_data(as_text=True)
    url = f"/privacy/deletion-requests/{request.id}"
    no_reason = client.post(url, data={"decision": "approve"})
    assert no_reason.status_code == 400 and "Hãy ghi lý do" in no_reason.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DeletionRequest, request.id).status == DeletionStatus.PENDING
    assert db.session.get(User, org.classmate.id).full_name == "Phạm Ngọc Chi"

    _login(client, "gv-ha")
    assert "Phạm Ngọc Chi" in client.get(f"/teach/classes/{org.classroom.id}").get_data(
        as_text=True
    )
    _login(client, "bgh-hai")
    response = client.post(url, data={"decision": "approve", "reason": "Đúng người, đã xác minh"})
    assert response.status_code == 302
    twice = client.post(f"/privacy/deletion-requests/{request.id}",
                        data={"decision": "refuse", "reason": "nhầm"})  # fmt: skip
    assert twice.status_code == 409
    db.session.expire_all()
    decided = db.session.get(DeletionRequest, request.id)
    assert decided.status == DeletionStatus.APPROVED
    assert decided.decision_reason == "Đúng người, đã xác minh"
    assert decided.decided_by_id == org.school_admin.id
    chi = db.session.get(User, org.classmate.id)
    assert (chi.full_name, chi.active) == (ERASED_NAME, False) and chi.username != "hs-chi"
    assert _login(client, "hs-chi").status_code != 302
    _login(client, "gv-ha")
    class_page = client.get(f"/teach/classes/{org.classroom.id}").get_data(as_text=True)
    assert "Phạm Ngọc Chi" not in class_page and "Trần Minh An" in class_page
    export = client.get("/reports/school/export.csv")
    assert "Phạm Ngọc Chi" not in export.get_data(as_text=True)


def test_a_refused_request_keeps_the_data_and_tells_why(client, org):
    _login(client, "hs-an")
    client.post("/privacy/deletion-request", data={})
    request_id = db.session.scalar(sa.select(DeletionRequest.id))
    _login(client, "bgh-hai")
    client.post(f"/privacy/deletion-requests/{request_id}",
                data={"decision": "refuse", "reason": "Cần giữ để cấp chứng nhận"})  # fmt: skip
    _login(client, "hs-an")
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert "Cần giữ để cấp chứng nhận" in page and "Trần Minh An" in page


# --- retention ----------------------------------------------------------------------------


def test_the_purge_removes_old_phones_and_unused_codes_only(app, runner, org, lan):
    with app.test_request_context():
        quiet = register(org.classmate, full_name="Lê Văn Tám", birth_year=1950,
                         phone="0987654321").relative  # fmt: skip
    long_ago = lan.created_at - timedelta(days=400)
    quiet.created_at = long_ago
    for link in quiet.links:
        link.created_at = long_ago
    db.session.scalar(sa.select(ClaimCode)).created_at = long_ago
    # Bà Lan registered long ago too, but her session is recent: her phone stays.
    lan.created_at = long_ago
    for link in lan.links:
        link.created_at = long_ago
    db.session.commit()
    with app.test_request_context():
        fresh = claims.issue_code(quiet, org.classmate)  # cancels nothing of Lan's
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 phone number(s)" in result.output
    assert "1 unused claim code(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Relative, quiet.id).phone is None
    assert db.session.get(Relative, lan.id).phone == PHONE
    assert _count(ClaimCode) == 1 and fresh.code  # the fresh code stays
    again = runner.invoke(args=["privacy", "purge"])
    assert "Removed 0 phone number(s)" in again.output


# --- isolation ----------------------------------------------------------------------------


def test_the_ward_sees_aggregates_only(client, org, lan):
    with client.application.test_request_context():
        other = register(org.other_student, full_name="Hoàng Văn Lực", birth_year=1949)
        run_session(org.other_student, other.relative_id)
    _login(client, "phuong-khoa")
    for page in ("/ward/", "/reports/ward", "/reports/ward/export.csv"):
        response = client.get(page)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, page
        for name in (LAN, "Hoàng Văn Lực", "Trần Minh An", "Đỗ Gia Huy", PHONE):
            assert name not in html, (page, name)
    assert _count(GuidedSession) == 2  # there was something to leak


def test_nothing_of_one_school_shows_in_another(client, org, lan):
    _login(client, "hs-khac")
    client.post("/privacy/deletion-request", data={})
    for username, pages in {
        "bgh-khac": ["/privacy/deletion-requests", "/privacy/my-data", "/privacy/my-data.json"],
        "gv-khac": ["/privacy/my-data", f"/guided/classes/{org.other_classroom.id}/relatives"],
        "hs-khac": ["/privacy/my-data", "/privacy/my-data.json", "/guided/"],
    }.items():
        _login(client, username)
        for page in pages:
            html = client.get(page).get_data(as_text=True)
            for secret in (LAN, PHONE, "Trần Minh An", "Phạm Ngọc Chi"):
                assert secret not in html, (username, page, secret)
    _login(client, "bgh-hai")
    assert "Đỗ Gia Huy" not in client.get("/privacy/deletion-requests").get_data(as_text=True)
    assert re.search(
        r"Chưa có yêu cầu nào", client.get("/privacy/deletion-requests").get_data(as_text=True)
    )


def test_an_erased_relative_cannot_be_typed_back_guided_or_claimed(client, org, lan):
    _login(client, "hs-an")
    client.post(f"/privacy/relatives/{lan.id}/withdraw", data={"confirm": "y"})
    edit = client.post(
        f"/guided/relatives/{lan.id}/edit",
        data={"full_name": LAN, "relation": "bà nội", "birth_year": "1956", "consent": "y",
              "consent_on": "2026-01-05", "parent_informed": "y",
              "parent_informed_on": "2026-01-05"},
    )  # fmt: skip
    assert edit.status_code == 409 and "đã rút lại đồng ý" in edit.get_data(as_text=True)
    assert client.post(f"/guided/relatives/{lan.id}/claim-code").status_code == 302
    assert _count(ClaimCode) == 0
    sessions_before = _count(GuidedSession)
    start = {"relative": lan.id, "walkthrough": "nt-goi-video-zalo"}
    client.post("/guided/sessions/new", data=start)
    assert _count(GuidedSession) == sessions_before
    db.session.expire_all()
    relative = db.session.get(Relative, lan.id)
    assert (relative.full_name, relative.birth_year) == (ERASED_NAME, None)
