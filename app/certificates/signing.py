"""The platform's Ed25519 key and Data Integrity proofs (cryptosuite ``eddsa-jcs-2022``).

Why this cryptosuite: the credential stays a plain JSON document, the proof sits inside it,
and checking it needs only RFC 8785 canonical JSON, SHA-256 and Ed25519 — no JSON-LD
processor and no network, so ``flask certificates verify`` works offline.

The algorithm (W3C "Data Integrity EdDSA Cryptosuites v1.0", §3.3):
  proofConfig  = the proof without ``proofValue``, plus the document's ``@context``
  hashData     = SHA-256(JCS(proofConfig)) ‖ SHA-256(JCS(document without proof))
  proofValue   = "z" + base58btc(Ed25519-sign(hashData))

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

CRYPTOSUITE = "eddsa-jcs-2022"
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


def _hash_data(document: dict, proof_options: dict) -> bytes:
    proof_config = dict(proof_options)
    if "@context" in document:
        proof_config["@context"] = document["@context"]
    config_hash = hashlib.sha256(rfc8785.dumps(proof_config)).digest()
    document_hash = hashlib.sha256(rfc8785.dumps(document)).digest()
    return config_hash + document_hash


def sign_document(
    document: dict, key: Ed25519PrivateKey, verification_method: str, created: str
) -> dict:
    """A copy of ``document`` with an eddsa-jcs-2022 proof. Ed25519 is deterministic:
    the same document, key and ``created`` always give the same proof."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.sign(_hash_data(unsecured, proof))
    secured = copy.deepcopy(unsecured)
    secured["proof"] = {**proof, "proofValue": "z" + base58btc_encode(signature)}
    return secured


@dataclass(frozen=True)
class ProofCheck:
    valid: bool
    reason: str  # empty when valid


def verify_proof(document: dict, public_key: Ed25519PublicKey) -> ProofCheck:
    """Check the document's single eddsa-jcs-2022 proof against ``public_key``."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return _fail(_("Chứng nhận không có chữ ký (proof), hoặc có nhiều hơn một."))
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _fail(_("Chữ ký không phải loại %(t)s với %(s)s.", t=PROOF_TYPE, s=CRYPTOSUITE))
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
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in options:
        # The proof may pin contexts; the document's must start with them, in order.
        pinned = options["@context"]
        pinned = pinned if isinstance(pinned, list) else [pinned]
        actual = unsecured.get("@context")
        actual = actual if isinstance(actual, list) else [actual]
        if actual[: len(pinned)] != pinned:
            return _fail(_("@context của chứng nhận không khớp với @context của chữ ký."))
        unsecured["@context"] = options.pop("@context")
    try:
        hash_data = _hash_data(unsecured, options)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        return _fail(_("Không chuẩn hoá được nội dung (RFC 8785): %(error)s", error=error))
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return _fail(_("Chữ ký không khớp: nội dung đã bị sửa, hoặc không do khoá này ký."))
    return ProofCheck(True, "")


def _fail(reason: str) -> ProofCheck:
    return ProofCheck(False, reason)
