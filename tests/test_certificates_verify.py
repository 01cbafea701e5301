"""The public verification page: valid, revoked or unknown — and nothing private."""

from __future__ import annotations

import json

import pytest

from app.certificates import services
from app.certificates.codes import ALPHABET, format_code, new_code
from app.certificates.display import local_date, mask_name
from app.extensions import db
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    VNEID,
    certificate_files,
    relative,
    session,
)

PRIVATE = ("Nguyễn Thị Hường", "0912345678", "1956", "Trần Minh An", "Nguyễn Thu Hà", "6A1")


@pytest.fixture
def certificate(org):
    grandma = relative(org.student)
    guided = session(org.student, grandma, VNEID, reviewer=org.teacher)
    [issued] = services.issue_for_session(guided).issued
    db.session.commit()
    return issued


def test_a_valid_certificate_is_confirmed_to_an_anonymous_visitor(client, certificate):
    response = client.get(f"/verify/{format_code(certificate.code)}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ" in page
    assert "Nguyễn T** H**" in page
    assert "Cài đặt và kích hoạt tài khoản định danh điện tử VNeID mức độ 2" in page
    assert "Trường THCS Dương Quan" in page
    assert "2.6" in page and "Cơ bản 2" in page
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_the_qr_form_of_the_code_and_any_case_work_too(client, certificate):
    for code in (certificate.code, certificate.code.lower(), format_code(certificate.code)):
        assert client.get(f"/verify/{code}").status_code == 200


def test_the_json_says_the_same_as_the_page(client, certificate):
    data = client.get(f"/verify/{certificate.code}.json").get_json()

    assert data["status"] == "valid"
    assert data["code"] == format_code(certificate.code)
    assert data["holder"] == "Nguyễn T** H**"
    assert data["school"] == "Trường THCS Dương Quan"
    assert data["kind"] == "task"
    assert [c["code"] for c in data["competences"]] == ["2.3", "2.6", "4.1", "4.2"]
    assert data["level"] == {"code": "CB2", "name": "Cơ bản 2"}
    assert data["issued_on"] == local_date(certificate.issued_at).isoformat()  # Việt Nam day
    assert data["revoked_on"] is None


def test_the_verify_page_and_json_reveal_nothing_private(client, certificate):
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    data = client.get(f"/verify/{certificate.code}.json").get_data(as_text=True)
    for private in PRIVATE:
        assert private not in page, private
        assert private not in data, private
    assert "Nguyễn T** H**" in page  # the masked form only


def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(
    client, auth, org, certificate
):
    auth.login(org.school_admin.username)
    response = client.post(
        f"/certificates/{certificate.id}/revoke",
        data={"reason": "Gia đình cho biết bà chưa tự làm được"},
    )
    assert response.status_code == 302
    auth.logout()

    page = client.get(f"/verify/{certificate.code}")
    data = client.get(f"/verify/{certificate.code}.json").get_json()

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Giấy chứng nhận đã bị thu hồi" in text
    assert "Giấy chứng nhận hợp lệ" not in text
    assert "chưa tự làm được" not in text
    assert data["status"] == "revoked"
    assert data["revoked_on"] == local_date(certificate.revoked_at).isoformat()
    assert "chưa tự làm được" not in str(data)


def test_an_unknown_but_well_formed_code_is_unknown(client, certificate):
    forged = new_code()  # a valid check character, but never issued (a forged PDF)
    response = client.get(f"/verify/{forged}")
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.get_data(as_text=True)
    data = client.get(f"/verify/{forged}.json").get_json()
    assert data == {"status": "unknown", "code": forged, "well_formed": True}


def test_an_altered_code_is_caught_as_a_typo_never_shown_as_valid(client, certificate):
    code = certificate.code
    altered = code[:5] + ALPHABET[(ALPHABET.index(code[5]) + 1) % 32] + code[6:]
    response = client.get(f"/verify/{altered}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "gõ sai" in page and "hợp lệ" not in page
    data = client.get(f"/verify/{altered}.json").get_json()
    assert data["status"] == "unknown" and data["well_formed"] is False


def test_the_verify_form_checks_the_code_before_looking_it_up(client, certificate):
    form = client.get("/verify")
    assert form.status_code == 200 and 'name="code"' in form.get_data(as_text=True)

    typed = " ".join(format_code(certificate.code).lower().split("-"))
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{format_code(certificate.code)}")

    short = client.get("/verify", query_string={"code": "ABCD-1234"})
    assert short.status_code == 200
    assert "bạn đã nhập 8 ký tự" in short.get_data(as_text=True)


def test_lookups_are_rate_limited_per_address(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "5 per minute")
    statuses = [client.get(f"/verify/{new_code()}").status_code for _ in range(5)]
    assert statuses == [404] * 5
    assert client.get(f"/verify/{certificate.code}").status_code == 429
    assert client.get(f"/verify/{certificate.code}.json").status_code == 429
    other = app.test_client()
    response = other.get(f"/verify/{certificate.code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 200


def test_the_issuer_publishes_its_keys_as_a_controlled_identifier_document(client, certificate):
    response = client.get("/issuer")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.get_data())
    assert document["@context"] == "https://www.w3.org/ns/cid/v1"
    assert document["id"] == "https://cunghocso.example/issuer"
    [multikey] = document["verificationMethod"]
    assert multikey["type"] == "Multikey"
    assert multikey["controller"] == document["id"]
    assert multikey["publicKeyMultibase"].startswith("z6Mk")
    assert document["assertionMethod"] == [multikey["id"]]
    assert certificate.credential["issuer"]["id"] == document["id"]
    assert {p["verificationMethod"] for p in certificate.credential["proof"]} == {multikey["id"]}

    # Looking the key up by its id gives the key alone, not the whole document.
    path = multikey["id"].removeprefix("https://cunghocso.example")
    key = json.loads(client.get(path).get_data())
    assert key == {"@context": "https://w3id.org/security/multikey/v1", **multikey}
    assert client.get("/issuer/keys/key-0000000000000000").status_code == 404


def test_the_legacy_key_document_still_lists_the_keys(client, certificate):
    document = json.loads(client.get("/.well-known/cunghocso-issuer.json").get_data())
    assert document["id"] == "https://cunghocso.example/.well-known/cunghocso-issuer.json"
    [multikey, jwk] = document["verificationMethod"]
    assert multikey["id"].startswith(document["id"] + "#key-")
    assert jwk["publicKeyJwk"]["crv"] == "Ed25519"
    assert document["assertionMethod"] == [multikey["id"]]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Thị Minh Khai", "Nguyễn T** M** K**"),
        ("Lê Văn Ánh", "Lê V** Á**"),
        ("  Trần   Ân  ", "Trần Â**"),
        ("Đặng", "Đ**"),
        ("Nguye\u0302\u0303n Ô\u0309n", "Nguyễn Ổ**"),  # decomposed input, composed output
        ("", ""),
    ],
)
def test_names_are_masked_to_family_name_and_initials(name, masked):
    assert mask_name(name) == masked


def test_a_superseded_combined_certificate_stays_valid_and_points_to_the_newer_one(client, org):
    from app.models import CertificateKind
    from tests.certificates_support import SCAM, ZALO, of_kind

    grandma = relative(org.student)
    for walkthrough in (VNEID, SCAM, ZALO):
        services.issue_for_session(session(org.student, grandma, walkthrough, org.teacher))
        db.session.commit()
    old = next(c for c in of_kind(CertificateKind.COMBINED) if c.is_superseded)

    page = client.get(f"/verify/{old.code}").get_data(as_text=True)
    data = client.get(f"/verify/{old.code}.json").get_json()

    assert "Giấy chứng nhận hợp lệ" in page and "giấy tổng hợp mới hơn" in page
    assert data["status"] == "valid" and data["superseded_on"] is not None
    assert len(data["tasks"]) == 2  # what the older paper lists, nothing added
