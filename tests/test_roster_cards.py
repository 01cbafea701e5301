"""Login cards: printable while the initial passwords are kept, never stale, admins only."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.services import set_password
from app.extensions import db
from app.models import Classroom, RosterImport, User
from app.models.base import utcnow
from app.roster import card_passwords
from tests.fixtures.roster.flow import YEAR, import_file
from tests.fixtures.roster.sheets import xlsx_bytes

ROSTER = "/school/roster"


@pytest.fixture
def imported(client, auth, org):
    """The good file imported by the school's admin, who stays signed in."""
    auth.login("bgh-hai")
    return db.session.get(RosterImport, import_file(client, xlsx_bytes()))


def classroom(name: str) -> Classroom:
    return db.session.scalars(
        sa.select(Classroom).where(Classroom.name == name, Classroom.school_year == YEAR)
    ).one()


def user_named(full_name: str) -> User:
    return db.session.scalars(sa.select(User).where(User.full_name == full_name)).one()


def kept_password(roster_import: RosterImport, user: User) -> str:
    return next(
        k.password for k in card_passwords.read(roster_import, utcnow()) if k.user_id == user.id
    )


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_result_page_offers_cards_per_class_and_for_staff(client, imported):
    html = client.get(f"{ROSTER}/imports/{imported.id}/result").get_data(as_text=True)
    assert imported.summary == {
        "classes_created": 2, "students_created": 5, "students_updated": 0,
        "staff_created": 3, "staff_updated": 0, "homerooms": 2,
    }  # fmt: skip
    assert '<span class="count">2</span> <span class="count-label">lớp được phân công' in html
    assert 'Lớp 6A1</strong> <span class="meta">3 thẻ' in html
    assert 'Lớp 6A2</strong> <span class="meta">2 thẻ' in html
    assert 'Giáo viên, nhân viên</strong> <span class="meta">3 thẻ' in html


def test_class_cards_pdf_holds_the_class_logins_only(client, imported, app):
    response = client.get(f"{ROSTER}/imports/{imported.id}/cards/{classroom('6A1').id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="the-dang-nhap-6a1.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    an = user_named("Nguyễn Minh An")
    for expected in ("Nguyễn Minh An", "Lớp 6A1", "an.nguyen.6a1", kept_password(imported, an)):
        assert expected in text
    assert "127.0.0.1:5000" in text  # SITE_URL, also drawn as a QR code
    assert "Lê Gia Hân" not in text  # 6A2


def test_staff_cards(client, imported):
    response = client.get(f"{ROSTER}/imports/{imported.id}/cards/staff")
    text = pdf_text(response.data)
    assert "gv.hang.vu" in text and "nv.lan.hoang" in text and "an.nguyen" not in text


def test_initial_passwords_are_kept_encrypted(imported):
    an = user_named("Nguyễn Minh An")
    password = kept_password(imported, an)
    assert password not in imported.card_passwords
    assert imported.card_passwords_until - utcnow() > timedelta(days=13)


def test_a_changed_password_drops_the_card(client, imported):
    an = user_named("Nguyễn Minh An")
    set_password(an, "mat-khau-rieng-cua-an")
    db.session.commit()
    text = pdf_text(client.get(f"{ROSTER}/imports/{imported.id}/cards/{classroom('6A1').id}").data)
    assert "an.nguyen.6a1" not in text and "ngoc.tran.6a1" in text
    html = client.get(f"{ROSTER}/imports/{imported.id}/result").get_data(as_text=True)
    assert "1 tài khoản đã đăng nhập hoặc đổi mật khẩu" in html


def test_first_sign_in_uses_the_card(client, imported, auth, app):
    an = user_named("Nguyễn Minh An")
    password = kept_password(imported, an)
    other = app.test_client()
    other.post("/login", data={"username": "an.nguyen.6a1", "password": password})
    db.session.expire_all()
    kept = {k.user_id for k in card_passwords.read(imported, utcnow())}
    assert an.id in kept  # still kept, but the account's hash is now the full-cost one
    html = client.get(f"{ROSTER}/imports/{imported.id}/result").get_data(as_text=True)
    assert 'Lớp 6A1</strong> <span class="meta">2 thẻ' in html


def test_forgetting_the_passwords_ends_card_printing(client, imported):
    response = client.post(f"{ROSTER}/imports/{imported.id}/forget-passwords")
    assert response.status_code == 302
    db.session.refresh(imported)
    assert imported.card_passwords is None
    response = client.get(f"{ROSTER}/imports/{imported.id}/cards/{classroom('6A1').id}")
    assert response.status_code == 302
    assert "Không còn thẻ nào để in" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_kept_passwords_expire(client, imported):
    imported.card_passwords_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert card_passwords.read(imported, utcnow()) == []
    client.get(f"{ROSTER}/imports/{imported.id}/result")  # any roster page purges
    db.session.refresh(imported)
    assert imported.card_passwords is None


def test_passwords_cannot_be_read_with_another_secret_key(imported, app, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-of-enough-length")
    assert card_passwords.read(imported, utcnow()) == []


def test_cards_are_for_the_schools_admins_only(client, imported, auth, org):
    url = f"{ROSTER}/imports/{imported.id}/cards/{classroom('6A1').id}"
    auth.logout()
    for username in ("gv-ha", "bgh-khac", "hs-an"):
        auth.login(username)
        assert client.get(url).status_code == 403, username
        assert client.get(f"{ROSTER}/imports/{imported.id}/cards/staff").status_code == 403
        auth.logout()


def test_a_class_of_another_school_is_not_found(client, imported, org):
    url = f"{ROSTER}/imports/{imported.id}/cards/{org.other_classroom.id}"
    assert client.get(url).status_code == 404
    assert client.get(f"{ROSTER}/imports/{imported.id}/cards/999999").status_code == 404


def test_purge_command_for_cron(imported, runner):
    imported.card_passwords_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["roster", "purge"])
    assert result.exit_code == 0, result.output
    db.session.refresh(imported)
    assert imported.card_passwords is None
