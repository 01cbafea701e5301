"""Checking a downloaded credential offline: no database, no network, no app needed.

The public key can come from any of the forms the platform publishes or keeps:
the issuer document served at ``/.well-known/cunghocso-issuer.json``, a bare JWK or
Multikey JSON object, or a PEM file (public key, or the private key on the server itself).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask_babel import gettext as _

from app.certificates.credentials import CredentialCheck, check_credential
from app.certificates.signing import public_key_from_jwk, public_key_from_multibase


class KeyFileError(ValueError):
    """The public key file cannot be read; the message says why."""


@dataclass(frozen=True)
class PublicKey:
    key: Ed25519PublicKey
    method_id: str | None  # known when read from the issuer document or a Multikey


def _from_json(data: object, credential: dict | None) -> PublicKey:
    if not isinstance(data, dict):
        raise KeyFileError(_("Tệp khoá JSON phải là một đối tượng."))
    methods = data.get("verificationMethod")
    if isinstance(methods, list):  # the issuer document
        wanted = (credential or {}).get("proof", {}).get("verificationMethod")
        multikeys = [m for m in methods if isinstance(m, dict) and m.get("type") == "Multikey"]
        chosen = next((m for m in multikeys if m.get("id") == wanted), None)
        if chosen is None and multikeys:
            chosen = multikeys[0]
        if chosen is None:
            raise KeyFileError(_("Tài liệu đơn vị cấp không có khoá Multikey."))
        return PublicKey(public_key_from_multibase(chosen["publicKeyMultibase"]), chosen["id"])
    if "publicKeyMultibase" in data:
        return PublicKey(public_key_from_multibase(data["publicKeyMultibase"]), data.get("id"))
    if "publicKeyJwk" in data:
        return PublicKey(public_key_from_jwk(data["publicKeyJwk"]), None)
    if "kty" in data:
        return PublicKey(public_key_from_jwk(data), None)
    raise KeyFileError(_("Không nhận ra khoá trong tệp (cần JWK, Multikey hoặc tài liệu issuer)."))


def load_public_key(path: Path, credential: dict | None = None) -> PublicKey:
    """Read an Ed25519 public key from ``path``, in any of the forms listed above."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KeyFileError(_("Không đọc được tệp khoá %(path)s: %(error)s", path=path,
                             error=error.strerror)) from error  # fmt: skip
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            if b"PRIVATE KEY" in raw:
                private = serialization.load_pem_private_key(raw, password=None)
                if not isinstance(private, Ed25519PrivateKey):
                    raise KeyFileError(_("Tệp PEM không chứa khoá Ed25519."))
                return PublicKey(private.public_key(), None)
            public = serialization.load_pem_public_key(raw)
            if not isinstance(public, Ed25519PublicKey):
                raise KeyFileError(_("Tệp PEM không chứa khoá Ed25519."))
            return PublicKey(public, None)
        return _from_json(json.loads(raw), credential)
    except KeyFileError:
        raise
    except (ValueError, TypeError, KeyError) as error:
        raise KeyFileError(_("Tệp khoá không hợp lệ: %(error)s", error=error)) from error


def read_credential(path: Path) -> dict:
    """The credential JSON in ``path``; raise ValueError with a readable reason."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(_("Không đọc được tệp %(path)s: %(error)s", path=path,
                           error=error.strerror)) from error  # fmt: skip
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(_("Tệp không phải JSON hợp lệ: %(error)s", error=error)) from error
    if not isinstance(data, dict):
        raise ValueError(_("Tệp không phải một đối tượng JSON."))
    return data


def verify_credential_file(credential_path: Path, key: PublicKey) -> CredentialCheck:
    try:
        credential = read_credential(credential_path)
    except ValueError as error:
        return CredentialCheck([str(error)])
    return check_credential(credential, key.key, key.method_id)
