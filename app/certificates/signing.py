"""The platform's Ed25519 keys and Data Integrity proofs (eddsa-jcs-2022, eddsa-rdfc-2022).

Every credential carries a proof set of two proofs made with the same key:

- ``eddsa-jcs-2022``: the credential stays plain JSON; checking needs only RFC 8785
  canonical JSON, SHA-256 and Ed25519 — no JSON-LD processor, no network.
- ``eddsa-rdfc-2022``: the credential's RDF form (JSON-LD → RDF Dataset Canonicalization,
  with vendored contexts, see ``app.certificates.jsonld``); the suite 1EdTech's Open
  Badges validator checks.

The algorithms (W3C "Data Integrity EdDSA Cryptosuites v1.0", §3.2 and §3.3):
  jcs:   proof      = options + ``@context`` of the document ("Create Proof", step 2)
         hashData   = SHA-256(JCS(proof)) ‖ SHA-256(JCS(document without proof))
  rdfc:  proof      = options (no ``@context``)
         hashData   = SHA-256(RDFC(options + document's @context)) ‖ SHA-256(RDFC(document))
  proofValue = "z" + base58btc(Ed25519-sign(hashData))

The key: a PEM file (PKCS#8) at ``SIGNING_KEY_PATH`` (config or environment), or
generated once at ``instance/signing_key.pem`` (mode 600, never committed). This module
needs no app, no database and no network, so the offline verifier can use it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask_babel import gettext as _

JCS = "eddsa-jcs-2022"
RDFC = "eddsa-rdfc-2022"
CRYPTOSUITE = JCS  # the one every verifier of ours checks first
SUITES = (JCS, RDFC)
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"
MULTICODEC_ED25519_PUB = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
KEY_FILE_NAME = "signing_key.pem"


# --- encodings ------------------------------------------------------------------------


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"not base58btc: {char!r}")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey form: "z" + base58btc(0xed01 ‖ 32-byte key), e.g. "z6Mk…"."""
    return "z" + base58btc_encode(MULTICODEC_ED25519_PUB + raw_public_bytes(public_key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc (start with 'z')")
    raw = base58btc_decode(value[1:])
    if not raw.startswith(MULTICODEC_ED25519_PUB) or len(raw) != 34:
        raise ValueError("publicKeyMultibase is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_jwk(public_key: Ed25519PublicKey) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw_public_bytes(public_key))}


def public_key_from_jwk(jwk: dict) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "x" not in jwk:
        raise ValueError("the JWK is not an Ed25519 public key (kty OKP, crv Ed25519)")
    return Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"]))


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for the key: the fragment of its verification method id."""
    return "key-" + hashlib.sha256(raw_public_bytes(public_key)).hexdigest()[:16]


# --- the platform key -----------------------------------------------------------------


def default_key_path(instance_dir: Path, configured: str | os.PathLike | None = None) -> Path:
    """``configured`` (SIGNING_KEY_PATH), else the environment, else instance/."""
    chosen = configured or os.environ.get("SIGNING_KEY_PATH")
    return Path(chosen) if chosen else Path(instance_dir) / KEY_FILE_NAME


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """Read the private key, or create it once (owner-only permissions) if missing."""
    if path.exists():
        return load_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two workers starting together must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_private_key(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


# --- proofs ---------------------------------------------------------------------------


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _jcs_hash_data(unsecured: dict, proof_config: dict) -> bytes:
    return _sha256(rfc8785.dumps(proof_config)) + _sha256(rfc8785.dumps(unsecured))


def _rdfc_hash_data(unsecured: dict, options: dict, loader=None) -> bytes:
    from app.certificates.jsonld import canonize

    proof_config = dict(options)
    if "@context" in unsecured:
        proof_config["@context"] = unsecured["@context"]
    return _sha256(canonize(proof_config, loader).encode("utf-8")) + _sha256(
        canonize(unsecured, loader).encode("utf-8")
    )


def _without_proof(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "proof"}


def create_proof(
    document: dict,
    key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    cryptosuite: str = JCS,
    loader=None,
) -> dict:
    """One Data Integrity proof of ``document`` (any existing ``proof`` is left out)."""
    unsecured = _without_proof(document)
    proof: dict = {
        "type": PROOF_TYPE,
        "cryptosuite": cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if cryptosuite == JCS:
        if "@context" in unsecured:  # "Create Proof", step 2
            proof["@context"] = copy.deepcopy(unsecured["@context"])
        hash_data = _jcs_hash_data(unsecured, proof)
    elif cryptosuite == RDFC:
        hash_data = _rdfc_hash_data(unsecured, proof, loader)
    else:
        raise ValueError(f"unsupported cryptosuite {cryptosuite!r}")
    proof["proofValue"] = "z" + base58btc_encode(key.sign(hash_data))
    return proof


def sign_document(
    document: dict,
    key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    suites: tuple[str, ...] = SUITES,
) -> dict:
    """A copy of ``document`` with a proof set (a list, one proof per suite). Ed25519 is
    deterministic: the same document, key and ``created`` always give the same proofs."""
    unsecured = _without_proof(document)
    secured = copy.deepcopy(unsecured)
    secured["proof"] = [
        create_proof(unsecured, key, verification_method, created, suite) for suite in suites
    ]
    return secured


@dataclass(frozen=True)
class ProofCheck:
    valid: bool
    reason: str  # empty when valid
    suites: tuple[str, ...] = ()  # the cryptosuites checked, when valid


def proofs_of(document: dict) -> list | None:
    """The document's proofs as a list (a single proof object counts as one), or None."""
    proof = document.get("proof")
    if isinstance(proof, dict):
        return [proof]
    if isinstance(proof, list) and proof:
        return proof
    return None


def verify_one(unsecured: dict, proof: object, public_key: Ed25519PublicKey, loader=None):
    """Check one proof of a proof set against ``unsecured`` (the document without
    ``proof``); return a ProofCheck."""
    if not isinstance(proof, dict):
        return _fail(_("Một chữ ký (proof) không phải đối tượng JSON."))
    suite = proof.get("cryptosuite")
    if proof.get("type") != PROOF_TYPE or suite not in SUITES:
        return _fail(
            _("Chữ ký loại %(type)s / %(suite)s không được hỗ trợ (chỉ %(known)s).",
              type=proof.get("type"), suite=suite, known=", ".join(SUITES))
        )  # fmt: skip
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return _fail(_("Mục đích chữ ký không phải %(purpose)s.", purpose=PROOF_PURPOSE))
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return _fail(_("Thiếu proofValue hoặc không ở dạng base58btc."))
    try:
        signature = base58btc_decode(value[1:])
    except ValueError:
        return _fail(_("proofValue không phải base58btc hợp lệ."))
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    document = dict(unsecured)
    try:
        if suite == JCS:
            if "@context" in options:
                # The proof pins contexts; the document's must start with them, in order.
                pinned = options["@context"]
                pinned = pinned if isinstance(pinned, list) else [pinned]
                actual = document.get("@context")
                actual = actual if isinstance(actual, list) else [actual]
                if actual[: len(pinned)] != pinned:
                    return _fail(_("@context của chứng nhận không khớp với @context của chữ ký."))
                document["@context"] = options["@context"]
            hash_data = _jcs_hash_data(document, options)
        else:
            hash_data = _rdfc_hash_data(document, options, loader)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        return _fail(_("Không chuẩn hoá được nội dung (%(suite)s): %(error)s", suite=suite,
                       error=error))  # fmt: skip
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        reason = _("Chữ ký không khớp (%(suite)s): nội dung đã bị sửa, hoặc không do khoá này ký.",
                   suite=suite)  # fmt: skip
        if suite == JCS and "@context" not in options and "@context" in unsecured:
            reason += " " + _(
                "Chữ ký này thiếu @context (bản tải xuống theo định dạng cũ): hãy tải lại "
                "chứng nhận từ trang của nó."
            )
        return _fail(reason)
    return ProofCheck(True, "", (suite,))


def verify_proof(document: dict, public_key: Ed25519PublicKey, loader=None) -> ProofCheck:
    """Check every proof of the document against ``public_key``: valid only when there is
    at least one and each of them holds."""
    proofs = proofs_of(document)
    if proofs is None:
        return _fail(_("Chứng nhận không có chữ ký (proof)."))
    unsecured = _without_proof(document)
    suites: list[str] = []
    for proof in proofs:
        result = verify_one(unsecured, proof, public_key, loader)
        if not result.valid:
            return result
        suites += result.suites
    return ProofCheck(True, "", tuple(suites))


def _fail(reason: str) -> ProofCheck:
    return ProofCheck(False, reason)
