"""Our credentials checked by verifiers we did not write for them.

- An eddsa-jcs-2022 verifier written here from the text of W3C "Data Integrity EdDSA
  Cryptosuites v1.0" §3.3.2 (Verify Proof), using only ``cryptography`` (Ed25519),
  ``rfc8785`` (JCS), hashlib and a base58btc decoder written below — none of
  ``app.certificates.signing``.
- An eddsa-rdfc-2022 verifier (§3.2.2) on ``pyld``'s RDF Dataset Canonicalization, with a
  document loader written here reading the vendored context files.
- Both verifiers first prove themselves on the W3C test vectors and the 1EdTech Open
  Badges 3.0 example, then check what the application issues, as a stranger downloads it.
- 1EdTech's AchievementCredential JSON schema.
- Digital Bazaar's ``@digitalbazaar/vc`` (npm), offline, in test_digital_bazaar_*.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask_babel import force_locale
from pyld import jsonld

from app.certificates import services
from app.extensions import db
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    certificate_files,
    relative,
    session,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
VENDORED = ROOT / "app/certificates/contexts"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": VENDORED / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": VENDORED
    / "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/multikey/v1": VENDORED / "multikey-v1.jsonld",
    "https://www.w3.org/ns/cid/v1": VENDORED / "cid-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": FIXTURES
    / "contexts/credentials-examples-v2.jsonld",
}
W3C_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"

# --- an independent verifier, from the specification's text -------------------------------

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey_to_ed25519(multibase: str) -> Ed25519PublicKey:
    assert multibase[0] == "z"  # base58btc
    raw = b58decode(multibase[1:])
    assert raw[:2] == b"\xed\x01" and len(raw) == 34  # multicodec ed25519-pub
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def spec_verify_jcs(secured: dict, proof: dict, public_key: Ed25519PublicKey) -> bool:
    """§3.3.2 Verify Proof (eddsa-jcs-2022), step by step."""
    unsecured = {k: v for k, v in secured.items() if k != "proof"}  # 1
    options = {k: v for k, v in proof.items() if k != "proofValue"}  # 2
    proof_bytes = b58decode(proof["proofValue"][1:])  # 3 (multibase 'z' = base58btc)
    if "@context" in options:  # 4
        if secured["@context"][: len(options["@context"])] != options["@context"]:
            return False
        unsecured["@context"] = options["@context"]
    assert options["type"] == "DataIntegrityProof"
    assert options["cryptosuite"] == "eddsa-jcs-2022"
    transformed = rfc8785.dumps(unsecured)  # 5: Transformation = JCS
    canonical_config = rfc8785.dumps(options)  # 6: Proof Configuration = JCS(options)
    hash_data = (
        hashlib.sha256(canonical_config).digest() + hashlib.sha256(transformed).digest()
    )  # 7: proofConfigHash ‖ transformedDocumentHash
    try:
        public_key.verify(proof_bytes, hash_data)  # 8: Ed25519 (RFC 8032)
    except InvalidSignature:
        return False
    return True


def _loader(url, options=None):
    path = CONTEXT_FILES.get(url)
    if path is None:
        raise jsonld.JsonLdError(f"not offline: {url}", "jsonld.LoadDocumentError")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(path.read_text())}


def _rdfc(document: dict) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return jsonld.normalize(document, {**options, "documentLoader": _loader}).encode()


def spec_verify_rdfc(secured: dict, proof: dict, public_key: Ed25519PublicKey) -> bool:
    """§3.2.2 Verify Proof (eddsa-rdfc-2022)."""
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    proof_bytes = b58decode(proof["proofValue"][1:])
    assert options["cryptosuite"] == "eddsa-rdfc-2022"
    config = {**options, "@context": unsecured["@context"]}  # Proof Configuration
    hash_data = hashlib.sha256(_rdfc(config)).digest() + hashlib.sha256(_rdfc(unsecured)).digest()
    try:
        public_key.verify(proof_bytes, hash_data)
    except InvalidSignature:
        return False
    return True


SPEC_VERIFIERS = {"eddsa-jcs-2022": spec_verify_jcs, "eddsa-rdfc-2022": spec_verify_rdfc}


def spec_verify_all(secured: dict, public_key: Ed25519PublicKey) -> list[str]:
    """The suites whose proof verified; raises on a proof that does not."""
    proofs = secured["proof"] if isinstance(secured["proof"], list) else [secured["proof"]]
    checked = []
    for proof in proofs:
        assert SPEC_VERIFIERS[proof["cryptosuite"]](secured, proof, public_key), proof
        checked.append(proof["cryptosuite"])
    return checked


# The 1EdTech Open Badges 3.0 implementation guide's eddsa-rdfc-2022 example.
ONE_EDTECH_KEY_HEX = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
ONE_EDTECH_EXAMPLE = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "https://example.edu/issuers/565049",
        "type": ["Profile"],
        "url": "https://www.imsglobal.org",
        "name": "Example Corp",
    },
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork",
            "type": ["Achievement"],
            "criteria": {
                "narrative": "Team members are nominated for this badge by their peers and "
                "recognized upon review by Example Corp management."
            },
            "description": "This badge recognizes the development of the capacity to "
            "collaborate within a group environment.",
            "name": "Teamwork",
        },
    },
    "proof": {
        "type": "DataIntegrityProof",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": "https://example.edu/issuers/565049"
        "#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
        "proofValue": "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtS"
        "bz35HcbgXVEDYHxCzgkCr",
    },
}


def _vector(name: str) -> dict:
    return json.loads((FIXTURES / "w3c" / name).read_text())


# --- the verifiers prove themselves on published examples ------------------------------------


@pytest.mark.parametrize("name", ["eddsa-jcs-2022-signed.json", "eddsa-rdfc-2022-signed.json"])
def test_the_independent_verifiers_accept_the_w3c_vectors_and_catch_changes(name):
    vector = _vector(name)
    key = multikey_to_ed25519(W3C_KEY)
    assert spec_verify_all(vector, key) == [vector["proof"]["cryptosuite"]]
    altered = copy.deepcopy(vector)
    altered["credentialSubject"]["alumniOf"] = "Another School"
    verifier = SPEC_VERIFIERS[vector["proof"]["cryptosuite"]]
    assert not verifier(altered, altered["proof"], key)


def test_the_independent_rdfc_verifier_accepts_the_1edtech_example():
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(ONE_EDTECH_KEY_HEX))
    assert spec_verify_all(ONE_EDTECH_EXAMPLE, key) == ["eddsa-rdfc-2022"]
    altered = copy.deepcopy(ONE_EDTECH_EXAMPLE)
    altered["name"] = "Leadership Badge"
    assert not spec_verify_rdfc(altered, altered["proof"], key)


def test_our_verifier_agrees_on_the_published_examples():
    from app.certificates.jsonld import make_loader
    from app.certificates.signing import verify_proof

    examples = json.loads(
        CONTEXT_FILES["https://www.w3.org/ns/credentials/examples/v2"].read_text()
    )
    loader = make_loader({"https://www.w3.org/ns/credentials/examples/v2": examples})
    w3c_key = multikey_to_ed25519(W3C_KEY)
    with force_locale("vi"):
        for name in ("eddsa-jcs-2022-signed.json", "eddsa-rdfc-2022-signed.json"):
            assert verify_proof(_vector(name), w3c_key, loader).valid
        one_edtech = Ed25519PublicKey.from_public_bytes(bytes.fromhex(ONE_EDTECH_KEY_HEX))
        assert verify_proof(ONE_EDTECH_EXAMPLE, one_edtech).valid


# --- what we issue -----------------------------------------------------------------------------


@pytest.fixture
def issued(org):
    grandma = relative(org.student)
    services.issue_for_session(session(org.student, grandma, VNEID, reviewer=org.teacher))
    report = services.issue_for_session(session(org.student, grandma, SCAM, reviewer=org.teacher))
    db.session.commit()
    return report.issued  # SCAM's task certificate and the combined one


def _download(client, auth, org, certificate) -> dict:
    auth.login(org.student.username)
    response = client.get(f"/certificates/{certificate.id}/credential.json")
    assert response.status_code == 200
    client.get("/logout")
    return json.loads(response.get_data())


def _published_key(client, method_id: str) -> Ed25519PublicKey:
    """Dereference the proof's verification method as a stranger would (the key URL)."""
    response = client.get(method_id.removeprefix("https://cunghocso.example"))
    assert response.status_code == 200
    document = json.loads(response.get_data())
    assert document["type"] == "Multikey"
    assert document["id"] == method_id
    issuer = json.loads(client.get("/issuer").get_data())
    assert method_id in issuer["assertionMethod"]
    return multikey_to_ed25519(document["publicKeyMultibase"])


def test_every_issued_credential_verifies_with_the_spec_verifiers(client, auth, org, issued):
    assert len(issued) == 2
    for certificate in issued:
        credential = _download(client, auth, org, certificate)
        assert isinstance(credential["proof"], list)
        jcs = credential["proof"][0]
        assert jcs["@context"] == credential["@context"]  # "Create Proof", step 2
        key = _published_key(client, jcs["verificationMethod"])
        assert spec_verify_all(credential, key) == ["eddsa-jcs-2022", "eddsa-rdfc-2022"]
        altered = copy.deepcopy(credential)
        altered["credentialSubject"]["identifier"][0]["identityHash"] = "Người Khác"
        assert not spec_verify_jcs(altered, altered["proof"][0], key)
        assert not spec_verify_rdfc(altered, altered["proof"][1], key)


def test_every_issued_credential_matches_the_1edtech_schema(client, auth, org, issued):
    schema_file = FIXTURES / "openbadges/ob_v3p0_achievementcredential_schema.json"
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    for certificate in issued:
        credential = _download(client, auth, org, certificate)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(credential)]
        assert errors == []
    # The schema is not a rubber stamp: a single proof object is what it refused before.
    legacy = copy.deepcopy(credential)
    legacy["proof"] = legacy["proof"][0]
    assert any(list(e.path) == ["proof"] for e in validator.iter_errors(legacy))


def test_alignments_point_at_each_competence_on_the_framework_page(client, auth, org, issued):
    credential = _download(client, auth, org, issued[0])
    achievement = credential["credentialSubject"]["achievement"]
    page = client.get("/learn/framework").get_data(as_text=True)
    for alignment in achievement["alignment"]:
        url, fragment = alignment["targetUrl"].split("#")
        assert fragment == f"competence-{alignment['targetCode']}"
        assert f'id="{fragment}"' in page
    assert achievement["creator"]["id"] == credential["issuer"]["id"]
    image = achievement["image"]["id"]
    response = client.get(image.removeprefix("https://cunghocso.example"))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    response.close()


def _migration():
    path = next((ROOT / "migrations/versions").glob("*_credential_proof_sets.py"))
    spec = importlib.util.spec_from_file_location("credential_proof_sets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_repairs_old_credentials_without_re_signing(client, auth, org, issued):
    """Old credentials: one proof object without @context. The signature already covered
    the document's @context, so adding it to the proof is enough — the spec verifier says so."""
    credential = _download(client, auth, org, issued[0])
    key = _published_key(client, credential["proof"][0]["verificationMethod"])
    old = copy.deepcopy(credential)
    old["proof"] = copy.deepcopy(credential["proof"][0])
    del old["proof"]["@context"]
    assert not spec_verify_jcs(old, old["proof"], key)  # what outside verifiers saw

    repaired = _migration().repaired(old)

    assert isinstance(repaired["proof"], list)
    assert repaired["proof"][0]["proofValue"] == old["proof"]["proofValue"]  # not re-signed
    assert spec_verify_all(repaired, key) == ["eddsa-jcs-2022"]
    assert _migration().repaired(repaired) is None  # already conformant: left alone
    assert _migration().legacy(repaired) == old


# --- Digital Bazaar's verifier, offline --------------------------------------------------------

NPM_PACKAGES = [
    "@digitalbazaar/vc@7",
    "@digitalbazaar/data-integrity@2",
    "@digitalbazaar/eddsa-jcs-2022-cryptosuite@1",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite@1",
    "@digitalbazaar/ed25519-multikey@1",
]


@pytest.fixture(scope="session")
def digital_bazaar(tmp_path_factory):
    """A folder with Digital Bazaar's verifier installed from the npm registry."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed (make test installs them)")
    folder = tmp_path_factory.mktemp("digital-bazaar")
    (folder / "package.json").write_text('{"name": "verify", "private": true, "type": "module"}')
    try:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES],
            cwd=folder, check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        output = getattr(error, "stderr", "") or ""
        if "ENOTFOUND" in output or "EAI_AGAIN" in output or "ETIMEDOUT" in output:
            pytest.skip(f"the npm registry cannot be reached: {output.strip()[:300]}")
        raise
    shutil.copy(Path(__file__).parent / "node" / "verify-credential.mjs", folder)
    return folder


def _documents(client) -> dict:
    """Every document the verifier may look up: the contexts, and what our site publishes."""
    documents = {url: json.loads(path.read_text()) for url, path in CONTEXT_FILES.items()}
    documents["https://w3id.org/security/data-integrity/v2"] = json.loads(
        (VENDORED / "data-integrity-v2.jsonld").read_text()
    )
    issuer = json.loads(client.get("/issuer").get_data())
    documents[issuer["id"]] = issuer
    for method in issuer["verificationMethod"]:
        path = method["id"].removeprefix("https://cunghocso.example")
        documents[method["id"]] = json.loads(client.get(path).get_data())
    return documents


def _run_digital_bazaar(folder, tmp_path, credential, documents, status=None) -> dict:
    (tmp_path / "credential.json").write_text(json.dumps(credential))
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    args = ["node", "verify-credential.mjs", str(tmp_path / "credential.json"),
            str(tmp_path / "documents.json")]  # fmt: skip
    if status is not None:
        (tmp_path / "status.json").write_text(json.dumps(status))
        args.append(str(tmp_path / "status.json"))
    run = subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.stdout, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_digital_bazaar_verifies_what_we_issue(client, auth, org, issued, digital_bazaar, tmp_path):
    credential = _download(client, auth, org, issued[1])
    documents = _documents(client)
    status_url = credential["credentialStatus"]["statusListCredential"]
    status = {
        status_url: json.loads(
            client.get(status_url.removeprefix("https://cunghocso.example")).get_data()
        )
    }

    outcome = _run_digital_bazaar(digital_bazaar, tmp_path, credential, documents, status)

    assert outcome["verified"] is True, outcome
    assert sorted(p["cryptosuite"] for p in outcome["proofs"]) == [
        "eddsa-jcs-2022",
        "eddsa-rdfc-2022",
    ]
    assert outcome["status"] == [{"purpose": "revocation", "value": 0}]

    altered = copy.deepcopy(credential)
    altered["name"] = "Thạc sĩ"
    outcome = _run_digital_bazaar(digital_bazaar, tmp_path, altered, documents, status)
    assert outcome["verified"] is False


def test_digital_bazaar_sees_a_revocation(client, auth, org, issued, digital_bazaar, tmp_path):
    credential = _download(client, auth, org, issued[0])
    services.revoke_certificate(issued[0], org.school_admin, "Cấp nhầm người")
    db.session.commit()
    status_url = credential["credentialStatus"]["statusListCredential"]
    status = {
        status_url: json.loads(
            client.get(status_url.removeprefix("https://cunghocso.example")).get_data()
        )
    }

    outcome = _run_digital_bazaar(digital_bazaar, tmp_path, credential, _documents(client), status)

    assert outcome["verified"] is False
    assert outcome["status"] == [{"purpose": "revocation", "value": 1}]


def test_digital_bazaar_verifies_an_old_credential_after_the_migration(
    client, auth, org, issued, digital_bazaar, tmp_path
):
    """A credential in the old form — issuer and key under the well-known address, one
    proof without @context — as the old signer made it, repaired by the migration."""
    from app.certificates.identity import platform_key
    from app.certificates.signing import JCS, create_proof, key_fingerprint

    legacy_id = "https://cunghocso.example/.well-known/cunghocso-issuer.json"
    credential = _download(client, auth, org, issued[0])
    old = {k: v for k, v in credential.items() if k not in ("proof", "credentialStatus")}
    old["issuer"] = {**old["issuer"], "id": legacy_id}
    old["credentialSubject"]["achievement"]["creator"] = old["issuer"]
    key = platform_key()
    method = f"{legacy_id}#{key_fingerprint(key.public_key())}"
    proof = create_proof(old, key, method, "2025-11-05T08:00:00Z", JCS)
    del proof["@context"]  # what the old signer emitted (it hashed the context all the same)
    old["proof"] = proof

    repaired = _migration().repaired(old)

    documents = _documents(client)
    legacy = json.loads(client.get("/.well-known/cunghocso-issuer.json").get_data())
    documents[legacy_id] = legacy
    outcome = _run_digital_bazaar(digital_bazaar, tmp_path, repaired, documents)
    assert outcome["verified"] is True, outcome
    assert _run_digital_bazaar(digital_bazaar, tmp_path, old, documents)["verified"] is False
