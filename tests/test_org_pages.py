"""The site admin sets up a city in the browser: provinces, wards, schools, accounts with a
one-time password and a login card; the level above gives new passwords; bad input gets
a message naming what and where, a 4xx, and writes nothing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import sqlalchemy as sa

from app.auth.services import authenticate
from app.extensions import db
from app.models import Province, Role, School, SchoolLevel, User, Ward
from app.models.audit import AuditEvent


def _counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Province, Ward, School, User)
    )


def _login(client, user):
    response = client.post("/login", data={"username": user.username,
                                           "password": "correct-horse-battery"})  # fmt: skip
    assert response.status_code == 302


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode()


@pytest.fixture
def admin_client(client, make):
    _login(client, make.user(Role.ADMIN, username="quantri"))
    return client


def test_setting_up_a_city_from_nothing_in_the_admin_pages(admin_client):
    client = admin_client
    assert "Bắt đầu" in client.get("/admin/").get_data(as_text=True)
    assert client.post("/admin/provinces/new", data={"name": "Hải Phòng"}).status_code == 302
    province = db.session.scalar(sa.select(Province))
    response = client.post(
        "/admin/wards/new", data={"province": province.id, "name": "Phường Thủy Nguyên"}
    )
    assert response.status_code == 302
    ward = db.session.scalar(sa.select(Ward))
    assert ward.province_id == province.id
    response = client.post(
        "/admin/schools/new",
        data={"ward": ward.id, "level": "thcs", "name": "Trường THCS Dương Quan"},
    )
    assert response.status_code == 302
    school = db.session.scalar(sa.select(School))
    assert school.level == SchoolLevel.LOWER_SECONDARY and school.ward_id == ward.id

    response = client.post(
        "/admin/users/new?role=school-admin",
        data={"place": school.id, "full_name": "Phạm Hồng Hải", "username": "ht.duongquan"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    password = re.search(r"data-one-time-password>([^<]+)<", page).group(1)
    user = db.session.scalar(sa.select(User).where(User.username == "ht.duongquan"))
    assert user.role == Role.SCHOOL_ADMIN and user.school_id == school.id
    assert user.must_change_password
    assert authenticate("ht.duongquan", password) is not None

    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    card = client.post("/accounts/card", data={"token": token})
    assert card.status_code == 200 and card.mimetype == "application/pdf"
    text = _pdf_text(card.data)
    assert "ht.duongquan" in text and password in text and "Phạm Hồng Hải" in text

    home = client.get("/admin/").get_data(as_text=True)
    assert "Hải Phòng" in home and "Trường THCS Dương Quan" in home and "ht.duongquan" in home


def test_a_card_is_for_its_maker_only_and_only_until_the_password_changes(admin_client, app, make):
    province = make.province("Hải Phòng")
    response = admin_client.post(
        "/admin/users/new?role=city",
        data={"place": province.id, "full_name": "Cán Bộ Sở", "username": "so.hp"},
    )
    page = response.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)

    other = app.test_client()
    _login(other, make.user(Role.ADMIN, username="quantri2"))
    assert other.post("/accounts/card", data={"token": token}).status_code == 410
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    assert admin_client.post("/accounts/card", data={"token": tampered}).status_code == 410

    user = db.session.scalar(sa.select(User).where(User.username == "so.hp"))
    from app.auth.services import set_password

    set_password(user, "mat-khau-rieng-cua-toi")
    db.session.commit()
    assert admin_client.post("/accounts/card", data={"token": token}).status_code == 410


def test_making_things_twice_or_wrongly_is_refused_with_a_message_and_nothing_saved(
    admin_client, make
):
    client = admin_client
    province = make.province("Hải Phòng")
    ward = make.ward("Phường Thủy Nguyên", province_obj=province)
    make.school(ward, name="Trường THCS Dương Quan")
    make.user(Role.WARD_OFFICER, ward_id=ward.id, username="phuong.tn")
    before = _counts()
    cases = [
        ("/admin/provinces/new", {"name": "hải phòng"}, "Đã có tỉnh, thành phố “Hải Phòng”"),
        ("/admin/wards/new", {"province": province.id, "name": "Phường Thủy Nguyên"},
         "Đã có “Phường Thủy Nguyên” ở Hải Phòng"),
        ("/admin/wards/new", {"province": 999999, "name": "Phường Mới"},
         "Hãy chọn tỉnh, thành phố"),
        ("/admin/schools/new", {"ward": ward.id, "level": "thcs",
                                "name": "Trường THCS Dương Quan"},
         "Đã có “Trường THCS Dương Quan”"),
        ("/admin/schools/new", {"ward": 999999, "level": "thcs", "name": "Trường Mới"},
         "Hãy chọn phường, xã"),
        ("/admin/schools/new", {"ward": ward.id, "level": "dai_hoc", "name": "Trường Mới"},
         "Cấp học “dai_hoc” không có"),
        ("/admin/users/new?role=ward", {"place": ward.id, "full_name": "Người Khác",
                                        "username": "phuong.tn"}, "“phuong.tn” đã có người dùng"),
        ("/admin/users/new?role=ward", {"place": ward.id, "full_name": "Người Mới",
                                        "username": "Lê Văn"}, "dấu cách"),
        ("/admin/users/new?role=ward", {"place": ward.id, "full_name": "Người Mới",
                                        "username": "lê.văn"}, "“ê”"),
        ("/admin/users/new?role=ward", {"place": 999999, "full_name": "Người Mới",
                                        "username": "nguoimoi"}, "Hãy chọn nơi làm việc"),
        ("/admin/provinces/new", {"name": ""}, "Hãy nhập tên tỉnh, thành phố"),
    ]  # fmt: skip
    for url, data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, data, response.status_code)
        assert message in response.get_data(as_text=True), (url, data)
    assert _counts() == before
    created = sa.select(AuditEvent).where(AuditEvent.action == "org.account_created")
    assert db.session.scalar(created) is None


def test_only_the_site_admin_opens_the_admin_pages(client, org):
    for user in (org.school_admin, org.ward_officer, org.city_officer):
        _login(client, user)
        assert client.get("/admin/users/new?role=admin").status_code == 403
        assert client.post("/admin/provinces/new", data={"name": "X"}).status_code == 403
        client.post("/logout")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Province)) == 1


# --- new passwords from the level above -----------------------------------------------


def _reset(client, user):
    return client.post(f"/accounts/{user.id}/reset")


def test_the_ward_officer_resets_its_school_admins_and_no_one_elses(client, org, make):
    other_ward = make.ward("Phường Khác", province_obj=org.province)
    far_admin = make.user(Role.SCHOOL_ADMIN, make.school(other_ward), username="bgh-xa")
    _login(client, org.ward_officer)
    listing = client.get("/accounts/").get_data(as_text=True)
    assert org.school_admin.username in listing and org.other_school_admin.username in listing
    assert far_admin.username not in listing and org.teacher.username not in listing

    old_nonce = org.school_admin.session_nonce
    response = _reset(client, org.school_admin)
    assert response.status_code == 200
    password = re.search(r"data-one-time-password>([^<]+)<", response.get_data(as_text=True))
    db.session.refresh(org.school_admin)
    assert org.school_admin.must_change_password and org.school_admin.session_nonce != old_nonce
    assert authenticate(org.school_admin.username, password.group(1)) is not None
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.password_reset")
    )
    assert (event.actor_id, event.target_user_id) == (org.ward_officer.id, org.school_admin.id)

    before = far_admin.password_hash
    for target in (far_admin, org.teacher, org.city_officer, org.admin):
        assert _reset(client, target).status_code == 403
    db.session.refresh(far_admin)
    assert far_admin.password_hash == before


def test_the_city_officer_resets_ward_officers_of_its_province_only(client, org, make):
    elsewhere = make.ward("Phường Xa", province_obj=make.province("Quảng Ninh"))
    far_officer = make.user(Role.WARD_OFFICER, ward_id=elsewhere.id, username="phuong-xa")
    _login(client, org.city_officer)
    listing = client.get("/accounts/").get_data(as_text=True)
    assert org.ward_officer.username in listing and far_officer.username not in listing
    assert _reset(client, org.ward_officer).status_code == 200
    for target in (far_officer, org.school_admin, org.admin):
        assert _reset(client, target).status_code == 403


def test_the_site_admin_resets_officers_but_not_another_site_admin(client, org, make):
    other_admin = make.user(Role.ADMIN, username="quantri-2")
    _login(client, org.admin)
    for target in (org.city_officer, org.ward_officer, org.school_admin):
        assert _reset(client, target).status_code == 200
    assert _reset(client, other_admin).status_code == 403
    assert _reset(client, org.teacher).status_code == 403
    assert _reset(client, org.admin).status_code == 403


def test_the_sign_in_page_says_whom_to_ask_and_links_to_claim_and_verify(client):
    page = client.get("/login").get_data(as_text=True)
    for who in ("Học sinh:", "Giáo viên, nhân viên:", "Phụ huynh, người thân:",
                "Quản trị nhà trường:", "Cán bộ phường, xã:", "Cán bộ Sở:"):  # fmt: skip
        assert who in page
    assert 'href="/guided/claim"' in page
    assert 'href="/verify"' in page
