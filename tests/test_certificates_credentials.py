"""Open Badges 3.0 credentials: signed, checkable offline, and tampering always shows."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask_babel import force_locale

from app.certificates import services
from app.certificates.credentials import check_credential
from app.certificates.identity import platform_key
from app.certificates.signing import public_key_from_multibase, verify_proof
from app.extensions import db
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    certificate_files,
    relative,
    session,
)

# The eddsa-jcs-2022 test vector published with the W3C "Data Integrity EdDSA
# Cryptosuites v1.0" specification: proves the canonicalisation and hashing interoperate.
W3C_VECTOR = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "cryptosuite": "eddsa-jcs-2022",
        "proofPurpose": "assertionMethod",
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "proofValue": "z5EhYRJkfPLkoT92FPXN8KK6M9rsBhq3xs19GBSsA6VdNYH4QMKSyNuA2Gfznz9QthVD7Rz3"
        "HTAfqxxay23htUpTg",
    },
}


@pytest.fixture(autouse=True)
def vietnamese(app):
    """Messages are translated; outside a request the locale has to be given."""
    with force_locale("vi"):
        yield


@pytest.fixture
def certificate(org):
    grandma = relative(org.student)
    [issued] = services.issue_for_session(
        session(org.student, grandma, VNEID, reviewer=org.teacher)
    ).issued
    db.session.commit()
    return issued


@pytest.fixture
def downloaded(client, auth, org, certificate, tmp_path):
    """The credential as the guiding student downloads it from the certificate page."""
    auth.login(org.student.username)
    response = client.get(f"/certificates/{certificate.id}/credential.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "chung-nhan.json"
    path.write_bytes(response.get_data())
    return path


def test_our_proofs_follow_the_w3c_test_vector():
    key = public_key_from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
    assert verify_proof(W3C_VECTOR, key).valid
    altered = copy.deepcopy(W3C_VECTOR)
    altered["credentialSubject"]["alumniOf"] = "Another School"
    assert not verify_proof(altered, key).valid


def test_the_credential_is_an_open_badge_aligned_to_the_framework(certificate):
    credential = certificate.credential
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/")
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    for alignment in achievement["alignment"]:
        assert alignment["targetFramework"].startswith("Khung năng lực số")
        assert alignment["targetUrl"].startswith("https://cunghocso.example/")
    assert [p["cryptosuite"] for p in credential["proof"]] == ["eddsa-jcs-2022", "eddsa-rdfc-2022"]
    assert credential["credentialSubject"]["result"][0]["achievedLevel"].endswith(":CB2")


def _tamper(credential: dict, change) -> dict:
    altered = copy.deepcopy(credential)
    change(altered)
    return altered


TAMPERINGS = {
    "holder name": lambda c: c["credentialSubject"]["identifier"][0].update(
        identityHash="Nguyễn Văn Giả"
    ),
    "achievement": lambda c: c["credentialSubject"]["achievement"].update(name="Thạc sĩ"),
    "competence": lambda c: c["credentialSubject"]["achievement"]["alignment"].pop(),
    "school": lambda c: c["credentialSubject"]["source"].update(name="Trường Khác"),
    "date": lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
    "extra field": lambda c: c.update(note="thêm vào"),
    "proof date": lambda c: c["proof"][0].update(created="2020-01-01T00:00:00Z"),
    "rdfc proof date": lambda c: c["proof"][1].update(created="2020-01-01T00:00:00Z"),
    "signature": lambda c: c["proof"][0].update(proofValue=c["proof"][0]["proofValue"][:-2] + "zz"),
    "rdfc signature": lambda c: c["proof"][1].update(
        proofValue=c["proof"][1]["proofValue"][:-2] + "zz"
    ),
    "proof context": lambda c: c["proof"][0].pop("@context"),
    "no proof": lambda c: c.pop("proof"),
}


@pytest.mark.parametrize("change", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_any_change_to_a_credential_makes_it_invalid(certificate, change):
    key = platform_key().public_key()
    assert check_credential(certificate.credential, key).valid
    assert not check_credential(_tamper(certificate.credential, change), key).valid


def test_a_credential_signed_by_another_key_is_invalid(certificate):
    impostor = Ed25519PrivateKey.generate().public_key()
    result = check_credential(certificate.credential, impostor)
    assert not result.valid
    assert any("Chữ ký không khớp" in problem for problem in result.problems)


def test_cli_verifies_a_downloaded_credential_with_the_server_key(runner, downloaded):
    result = runner.invoke(args=["certificates", "verify", str(downloaded)])
    assert result.exit_code == 0, result.output
    assert "HỢP LỆ" in result.output
    assert "Nguyễn Thị Hường" in result.output


@pytest.mark.parametrize("form", ["issuer document", "jwk", "pem"])
def test_cli_verifies_with_a_published_public_key_in_any_form(
    runner, client, downloaded, tmp_path, form
):
    profile = client.get("/.well-known/cunghocso-issuer.json").get_json()
    key_file = tmp_path / "key"
    if form == "issuer document":
        key_file.write_text(json.dumps(profile))
    elif form == "jwk":
        key_file.write_text(json.dumps(profile["verificationMethod"][1]["publicKeyJwk"]))
    else:
        key_file.write_bytes(
            platform_key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    result = runner.invoke(
        args=["certificates", "verify", str(downloaded), "--public-key", str(key_file)]
    )
    assert result.exit_code == 0, result.output
    assert "HỢP LỆ" in result.output


def test_cli_rejects_a_tampered_credential_and_says_why(runner, downloaded, tmp_path):
    credential = json.loads(downloaded.read_text())
    credential["credentialSubject"]["achievement"]["name"] = "Một thành tích khác"
    altered = tmp_path / "sua.json"
    altered.write_text(json.dumps(credential, ensure_ascii=False))

    result = runner.invoke(args=["certificates", "verify", str(altered)])

    assert result.exit_code == 1
    assert "KHÔNG HỢP LỆ" in result.output
    assert "Chữ ký không khớp" in result.output


def test_cli_rejects_a_credential_signed_with_someone_elses_key(runner, downloaded, tmp_path):
    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    result = runner.invoke(
        args=["certificates", "verify", str(downloaded), "--public-key", str(other)]
    )
    assert result.exit_code == 1
    assert "KHÔNG HỢP LỆ" in result.output


def test_cli_explains_unreadable_files(runner, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(args=["certificates", "verify", str(broken)])
    assert result.exit_code != 0
    assert "JSON" in result.output
    missing = runner.invoke(args=["certificates", "verify", str(tmp_path / "none.json")])
    assert missing.exit_code != 0


def test_the_json_download_is_the_stored_signed_credential(client, auth, org, certificate):
    auth.login(org.student.username)
    data = client.get(f"/certificates/{certificate.id}/credential.json").get_json()
    assert data == certificate.credential
