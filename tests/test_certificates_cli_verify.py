"""``flask certificates verify`` as an outsider uses it: whose key, which proofs, revoked?"""

from __future__ import annotations

import copy
import json

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates import identity, services, verifier
from app.certificates.signing import key_fingerprint, sign_document
from app.extensions import db
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    VNEID,
    certificate_files,
    relative,
    session,
)


@pytest.fixture
def certificate(org):
    grandma = relative(org.student)
    [issued] = services.issue_for_session(
        session(org.student, grandma, VNEID, reviewer=org.teacher)
    ).issued
    db.session.commit()
    return issued


@pytest.fixture
def write(tmp_path):
    def write(name: str, content) -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_a_valid_credential_shows_issuer_key_and_revocation_check(runner, certificate, write):
    result = runner.invoke(args=["certificates", "verify", write("c.json", certificate.credential)])
    assert result.exit_code == 0, result.output
    fingerprint = key_fingerprint(identity.platform_key().public_key())
    assert "HỢP LỆ" in result.output
    assert "Đơn vị cấp: https://cunghocso.example/issuer" in result.output
    assert fingerprint in result.output
    assert "Thu hồi:    đã kiểm tra" in result.output
    assert "eddsa-jcs-2022, eddsa-rdfc-2022" in result.output


def test_a_revoked_credential_is_reported_revoked(runner, org, certificate, write):
    path = write("c.json", certificate.credential)
    services.revoke_certificate(certificate, org.school_admin, "Cấp nhầm")
    db.session.commit()
    result = runner.invoke(args=["certificates", "verify", path])
    assert result.exit_code == 1
    assert "ĐÃ THU HỒI" in result.output
    assert "HỢP LỆ:" not in result.output


def test_a_status_list_that_cannot_be_fetched_is_never_valid(
    app, runner, certificate, write, monkeypatch
):
    """Verifying elsewhere (no local documents): the key document is supplied, the status
    list host is down."""
    issuer_document = identity.issuer_document()
    monkeypatch.setitem(app.config, "ISSUER_URL", "https://another.example/issuer")

    def unreachable(url):
        raise verifier.FetchError(f"Không tải được {url}: connection refused")

    monkeypatch.setattr("app.certificates.cli.fetch_json", unreachable)
    result = runner.invoke(
        args=["certificates", "verify", write("c.json", certificate.credential),
              "--issuer-document", write("issuer.json", issuer_document)]
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "CHƯA KIỂM TRA" in result.output
    assert "connection refused" in result.output
    assert "HỢP LỆ:" not in result.output


def test_a_forged_credential_with_the_forgers_key_file_is_refused(runner, certificate, write):
    forger = Ed25519PrivateKey.generate()
    forged = copy.deepcopy(certificate.credential)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Kẻ Mạo Danh"
    method = forged["proof"][0]["verificationMethod"]
    forged = sign_document(forged, forger, method, forged["proof"][0]["created"])
    key_file = write(
        "forger.pem",
        forger.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    result = runner.invoke(
        args=["certificates", "verify", write("f.json", forged), "--public-key", key_file]
    )
    assert result.exit_code == 1
    assert "KHÔNG HỢP LỆ" in result.output
    assert "không phải khoá" in result.output


def test_an_unknown_key_id_is_named(runner, certificate, write):
    credential = copy.deepcopy(certificate.credential)
    for proof in credential["proof"]:
        proof["verificationMethod"] = "https://cunghocso.example/issuer/keys/key-ffffffffffffffff"
    result = runner.invoke(args=["certificates", "verify", write("c.json", credential)])
    assert result.exit_code == 1
    assert "key-ffffffffffffffff không có trong tài liệu khoá" in result.output
    assert "Traceback" not in result.output


def test_duplicate_keys_are_refused(runner, certificate, write):
    """A tampered credentialSubject first, the genuine one last: json.loads would keep
    the last and verify it."""
    genuine = json.dumps(certificate.credential, ensure_ascii=False)
    fake = copy.deepcopy(certificate.credential["credentialSubject"])
    fake["identifier"][0]["identityHash"] = "Người Khác"
    doubled = genuine.replace(
        '"credentialSubject": ',
        '"credentialSubject": ' + json.dumps(fake, ensure_ascii=False) + ', "credentialSubject": ',
        1,
    )
    result = runner.invoke(args=["certificates", "verify", write("d.json", doubled)])
    assert result.exit_code == 1
    assert "credentialSubject" in result.output
    assert "hai lần" in result.output
    assert "HỢP LỆ:" not in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["proof"].append({**c["proof"][0], "cryptosuite": "bbs-2023"}), "bbs-2023"),
        (lambda c: c.update(proof=[c["proof"][0]["proofValue"]]), "không phải đối tượng JSON"),
        (lambda c: c.update(proof=[]), "không có chữ ký"),
        (lambda c: c.update(proof="z123"), "proof phải là"),
    ],
    ids=["unknown suite", "proof of strings", "empty proof list", "proof a string"],
)
def test_odd_proofs_get_a_clear_message(runner, certificate, write, change, message):
    credential = copy.deepcopy(certificate.credential)
    change(credential)
    result = runner.invoke(args=["certificates", "verify", write("p.json", credential)])
    assert result.exit_code == 1, result.output
    assert "KHÔNG HỢP LỆ" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_rotating_the_key_keeps_earlier_credentials_verifiable(
    app, runner, client, org, write, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "SIGNING_KEY_PATH", str(tmp_path / "own" / "key.pem"))
    grandma = relative(org.student)
    [certificate] = services.issue_for_session(
        session(org.student, grandma, VNEID, reviewer=org.teacher)
    ).issued
    db.session.commit()
    before = key_fingerprint(identity.platform_key().public_key())
    result = runner.invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0, result.output
    after = key_fingerprint(identity.platform_key().public_key())
    assert before != after
    document = json.loads(client.get("/issuer").get_data())
    listed = [m["id"].rsplit("/", 1)[-1] for m in document["verificationMethod"]]
    assert listed == [after, before]
    assert client.get(f"/issuer/keys/{before}").status_code == 200
    path = write("c.json", certificate.credential)
    verified = runner.invoke(args=["certificates", "verify", path])
    assert verified.exit_code == 0, verified.output
    assert before in verified.output


def test_reissue_re_signs_credentials_issued_under_a_loopback_address(
    app, runner, certificate, monkeypatch
):
    code = certificate.code
    monkeypatch.setitem(app.config, "SITE_URL", "http://127.0.0.1:5000")
    from app.certificates.publishing import sign_certificate

    certificate.credential = sign_certificate(certificate)
    db.session.commit()
    assert certificate.credential["id"].startswith("http://127.0.0.1:5000/")

    monkeypatch.setitem(app.config, "REFUSE_LOOPBACK_SITE_URL", True)
    refused = runner.invoke(args=["certificates", "reissue"])
    assert refused.exit_code != 0
    assert "loopback" in refused.output

    monkeypatch.setitem(app.config, "SITE_URL", "https://cunghocso.example")
    result = runner.invoke(args=["certificates", "reissue"])
    assert result.exit_code == 0, result.output
    assert "Đã ký lại 1 chứng nhận" in result.output
    db.session.refresh(certificate)
    assert certificate.code == code
    assert certificate.credential["id"] == f"https://cunghocso.example/verify/{code}"
    again = runner.invoke(args=["certificates", "reissue"])
    assert "Đã ký lại 0 chứng nhận" in again.output


def test_the_verify_page_and_json_read_the_published_status_list(client, org, certificate):
    json_view = client.get(f"/verify/{certificate.code}.json").get_json()
    assert json_view["status"] == "valid"
    listed = json_view["status_list"]
    assert listed["url"] == "https://cunghocso.example/issuer/status/revocation"
    assert listed["index"] == certificate.status_index
    assert listed["revoked"] is False
    entry = certificate.credential["credentialStatus"]
    assert entry["statusListCredential"] == listed["url"]
    assert entry["statusListIndex"] == str(certificate.status_index)

    published = client.get("/issuer/status/revocation")
    assert published.mimetype == "application/vc+ld+json"
    assert "max-age=300" in published.headers["Cache-Control"]

    services.revoke_certificate(certificate, org.school_admin, "Cấp nhầm")
    db.session.commit()
    json_view = client.get(f"/verify/{certificate.code}.json").get_json()
    assert json_view["status"] == "revoked"
    assert json_view["status_list"]["revoked"] is True
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "đã bị thu hồi" in page
    assert "danh sách thu hồi công khai" in page


def _upload(client, content):
    import io

    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(
        "/verify/credential",
        data={"credential": (io.BytesIO(data), "chung-nhan.json")},
        content_type="multipart/form-data",
    )


def test_the_web_check_of_a_credential_file(client, org, certificate):
    page = _upload(client, certificate.credential)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Tệp chứng nhận số hợp lệ" in text
    assert key_fingerprint(identity.platform_key().public_key()) in text

    api = client.post("/verify/credential.json", data=json.dumps(certificate.credential))
    assert api.status_code == 200
    assert api.get_json()["verdict"] == "valid"
    assert api.get_json()["revocation"] == "not-revoked"

    services.revoke_certificate(certificate, org.school_admin, "Cấp nhầm")
    db.session.commit()
    api = client.post("/verify/credential.json", data=json.dumps(certificate.credential))
    assert api.get_json()["verdict"] == "revoked"
    assert "Chứng nhận đã bị thu hồi" in _upload(client, certificate.credential).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "không phải JSON"),
        (b'{"a": 1, "a": 2}', "hai lần"),
        (b"[1, 2]", "không phải một đối tượng JSON"),
        (b" " * (300 * 1024), "quá lớn"),
    ],
    ids=["broken", "duplicate keys", "a list", "too large"],
)
def test_the_web_check_explains_bad_files(client, content, message):
    page = _upload(client, content)
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    api = client.post("/verify/credential.json", data=content)
    assert api.status_code == 422
    assert api.get_json()["verdict"] == "invalid"
    assert any(message in p for p in api.get_json()["problems"])


def test_the_web_check_refuses_forged_and_foreign_credentials(client, certificate):
    forged = copy.deepcopy(certificate.credential)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Kẻ Mạo Danh"
    forger = Ed25519PrivateKey.generate()
    forged = sign_document(
        forged,
        forger,
        "https://cunghocso.example/issuer/keys/key-ffffffffffffffff",
        "2026-01-01T00:00:00Z",
    )
    api = client.post("/verify/credential.json", data=json.dumps(forged))
    assert api.status_code == 422
    assert "key-ffffffffffffffff không có trong tài liệu khoá" in " ".join(
        api.get_json()["problems"]
    )
    foreign = copy.deepcopy(certificate.credential)
    foreign["issuer"]["id"] = "https://other.example/issuer"
    api = client.post("/verify/credential.json", data=json.dumps(foreign))
    assert "không do Cùng Học Số cấp" in " ".join(api.get_json()["problems"])
    assert _upload(client, b"").status_code in (400, 422)


def test_two_certificates_issued_at_the_same_moment_get_different_status_bits(
    app, org, monkeypatch
):
    """Both issuers read the same highest index; the unique constraint makes one retry."""
    import threading

    from app.certificates import status_list
    from app.models import GuidedSession

    if db.engine.dialect.name == "sqlite":
        pytest.skip("needs real concurrent connections: runs on PostgreSQL (make test-postgres)")
    first = session(org.student, relative(org.student, "Nguyễn Thị Một"), VNEID, org.teacher)
    second = session(org.student, relative(org.student, "Trần Văn Hai"), VNEID, org.teacher)
    db.session.commit()
    ids = [first.id, second.id]
    looked = threading.Barrier(2, timeout=20)
    real_next_index = status_list.next_index
    calls = []

    def next_index_together():
        index = real_next_index()
        calls.append(index)
        if len(calls) <= 2:
            looked.wait()  # both have read the same highest index before either inserts
        return index

    monkeypatch.setattr(status_list, "next_index", next_index_together)
    errors = []

    def issue(session_id):
        try:
            with app.app_context():
                services.issue_for_session(db.session.get(GuidedSession, session_id))
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert calls[0] == calls[1]  # the race really happened
    db.session.expire_all()
    from app.models import Certificate

    indices = db.session.scalars(sa.select(Certificate.status_index)).all()
    assert len(indices) == 2 and len(set(indices)) == 2
