"""The platform's signing identity: its Ed25519 key and the addresses it publishes.

The key comes from ``SIGNING_KEY_PATH`` (config or environment), else it is generated
once at ``instance/signing_key.pem`` (never committed). Keep that file: credentials
signed with a lost key can no longer be checked against the published key.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from app.certificates.credentials import issuer_id
from app.certificates.signing import default_key_path, key_fingerprint, load_or_create_key
from app.models import Certificate


@cache
def _key_at(path: Path) -> Ed25519PrivateKey:
    return load_or_create_key(path)


def signing_key_path() -> Path:
    return default_key_path(
        Path(current_app.instance_path), current_app.config.get("SIGNING_KEY_PATH")
    )


def platform_key() -> Ed25519PrivateKey:
    """The platform's private key, created once under instance/ if none is configured."""
    return _key_at(signing_key_path())


def site_url() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def verification_method() -> str:
    return f"{issuer_id(site_url())}#{key_fingerprint(platform_key().public_key())}"


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
