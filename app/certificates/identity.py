"""The platform's signing identity: its issuer id, its keys (current and retired), and the
documents that publish them.

- **Issuer id**: ``ISSUER_URL`` (config or environment), set once and never changed —
  it does not follow ``SITE_URL``, so moving the site to another address does not orphan
  the credentials already issued. Unset, it is ``SITE_URL + "/issuer"`` (fine until the
  first real certificate; set it explicitly in production). The site serves, at the path
  of that URL:
  - ``/issuer`` — the controlled identifier document (W3C CID v1): every key, current and
    retired, as a ``Multikey`` verification method, all listed under ``assertionMethod``;
  - ``/issuer/keys/<fingerprint>`` — one key, alone (what a verifier dereferences);
  - ``/issuer/status/revocation`` — the Bitstring Status List credential.
- **Keys**: the current private key is a PEM at ``SIGNING_KEY_PATH`` (else generated once
  at ``instance/signing_key.pem``, never committed). ``flask certificates rotate-key``
  writes a new one and keeps the old *public* key in ``<key>.retired/``, so credentials
  signed earlier still verify. Keep both: a lost key cannot be recovered.
- Credentials issued before the issuer had its own URL name the key
  ``SITE_URL/.well-known/cunghocso-issuer.json#key-…``; that address keeps serving a CID
  document listing every key under those legacy ids.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from app.certificates.jsonld import CID_V1, MULTIKEY_V1
from app.certificates.signing import (
    default_key_path,
    key_fingerprint,
    load_or_create_key,
    public_key_jwk,
    public_key_multibase,
)
from app.models import Certificate

LEGACY_ISSUER_PATH = "/.well-known/cunghocso-issuer.json"
ISSUER_PATH = "/issuer"
STATUS_PATH = "/status/revocation"

_keys: dict[Path, tuple[float, Ed25519PrivateKey]] = {}


def signing_key_path() -> Path:
    return default_key_path(
        Path(current_app.instance_path), current_app.config.get("SIGNING_KEY_PATH")
    )


def retired_dir(key_path: Path | None = None) -> Path:
    path = key_path or signing_key_path()
    return path.with_name(path.name + ".retired")


def platform_key() -> Ed25519PrivateKey:
    """The current private key (re-read when the file changes, e.g. after a rotation)."""
    path = signing_key_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        stamp = None
    cached = _keys.get(path)
    if cached is None or stamp is None or cached[0] != stamp:
        key = load_or_create_key(path)
        _keys[path] = (path.stat().st_mtime_ns, key)
        return key
    return cached[1]


def retired_keys() -> list[Ed25519PublicKey]:
    """Public keys that signed earlier credentials, oldest first."""
    folder = retired_dir()
    if not folder.is_dir():
        return []
    keys = []
    for pem in sorted(folder.glob("*.pem"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        public = serialization.load_pem_public_key(pem.read_bytes())
        if isinstance(public, Ed25519PublicKey):
            keys.append(public)
    return keys


def all_public_keys() -> list[Ed25519PublicKey]:
    """Every key a credential of ours may be signed with: current first, then retired."""
    current = platform_key().public_key()
    keys = [current]
    seen = {key_fingerprint(current)}
    for key in reversed(retired_keys()):
        if key_fingerprint(key) not in seen:
            seen.add(key_fingerprint(key))
            keys.append(key)
    return keys


def rotate_key() -> tuple[Ed25519PublicKey, Ed25519PublicKey]:
    """Retire the current key (its public half stays published) and start a new one.

    Returns (old, new) public keys. Running workers pick the new key up on their next
    signature (the file's modification time changes).
    """
    path = signing_key_path()
    old = platform_key().public_key()
    folder = retired_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key_fingerprint(old)}.pem").write_bytes(
        old.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    new = Ed25519PrivateKey.generate()
    pem = new.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    temporary.replace(path)
    _keys.pop(path, None)
    return old, new.public_key()


# --- addresses ---------------------------------------------------------------------------


def site_url() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def is_loopback_url(url: str) -> bool:
    """True for an address only this machine can reach (127.0.0.1, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in {"", "localhost"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_id() -> str:
    configured = current_app.config.get("ISSUER_URL")
    return (configured or site_url() + ISSUER_PATH).rstrip("/")


def key_id(public_key: Ed25519PublicKey) -> str:
    return f"{issuer_id()}/keys/{key_fingerprint(public_key)}"


def verification_method() -> str:
    return key_id(platform_key().public_key())


def status_list_url() -> str:
    return issuer_id() + STATUS_PATH


def legacy_issuer_ids() -> list[str]:
    """Issuer ids of credentials signed before ``ISSUER_URL``: the old well-known address
    under this site and under any earlier address listed in ``LEGACY_SITE_URLS``."""
    sites = [site_url(), *current_app.config.get("LEGACY_SITE_URLS", ())]
    return [s.rstrip("/") + LEGACY_ISSUER_PATH for s in sites]


def verify_url(certificate: Certificate) -> str:
    """Where the QR code points: works without signing in, on any phone."""
    return f"{site_url()}/verify/{certificate.code}"


def framework_url() -> str:
    """The public framework page, so alignments point at something a person can read.

    Built from the URL map, not ``url_for``: issuing also runs from the CLI, outside a
    request.
    """
    for endpoint in ("learn.framework", "main.framework"):
        if endpoint in current_app.view_functions:
            return site_url() + current_app.url_map.bind("localhost").build(endpoint)
    return site_url() + "/"


def badge_image_url() -> str:
    return site_url() + "/static/img/badge.svg"


# --- published documents -------------------------------------------------------------------


def multikey(public_key: Ed25519PublicKey, method_id: str, controller: str) -> dict:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase(public_key),
    }


def issuer_document() -> dict:
    """The controlled identifier document at the issuer id: every key we ever signed with."""
    controller = issuer_id()
    methods = [multikey(k, key_id(k), controller) for k in all_public_keys()]
    return {
        "@context": CID_V1,
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def key_document(fingerprint: str) -> dict | None:
    """One key, by itself, with its own context: what dereferencing its id returns."""
    for key in all_public_keys():
        if key_fingerprint(key) == fingerprint:
            return {"@context": MULTIKEY_V1, **multikey(key, key_id(key), issuer_id())}
    return None


def legacy_issuer_document(controller: str) -> dict:
    """The CID document for credentials that name ``…/.well-known/cunghocso-issuer.json``:
    the same keys, under the ids those credentials use (``#key-…``) plus a JWK form."""
    methods, jwks = [], []
    for key in all_public_keys():
        method_id = f"{controller}#{key_fingerprint(key)}"
        methods.append(multikey(key, method_id, controller))
        jwks.append(
            {
                "id": f"{method_id}-jwk",
                "type": "JsonWebKey",
                "controller": controller,
                "publicKeyJwk": public_key_jwk(key),
            }
        )
    return {
        "@context": CID_V1,
        "id": controller,
        "verificationMethod": methods + jwks,
        "assertionMethod": [m["id"] for m in methods],
    }
