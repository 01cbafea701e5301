"""Revocation that anyone can check: a W3C Bitstring Status List credential.

Every certificate has a ``status_index``; its credential's ``credentialStatus`` points at
bit ``status_index`` of the list published at ``<issuer>/status/revocation``. The bit is
1 when the certificate is revoked (superseded certificates stay valid: bit 0).

The list is itself a credential, signed with the platform key like every certificate
(proof set eddsa-jcs-2022 + eddsa-rdfc-2022), so a verifier can trust it. It is rebuilt
from the database when asked and memoised per state (bits + key): the same state always
gives the same bytes, its ``validFrom`` being the latest revocation.

Also here: reading a list back (``read_bit``), used by our verify page, the JSON view
and ``flask certificates verify``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
from datetime import datetime

import sqlalchemy as sa

from app.certificates import identity
from app.certificates.credentials import iso_utc
from app.certificates.jsonld import VC_V2
from app.certificates.signing import key_fingerprint, sign_document
from app.extensions import db
from app.models import Certificate

MIN_BITS = 131_072  # the spec's minimum length: 16 KB, for herd privacy
TTL_MS = 300_000  # verifiers may cache the list five minutes
EPOCH = datetime(2025, 1, 1)

_memo: dict[str, dict] = {}


class StatusListError(ValueError):
    """A status list that cannot be read; the message says why."""


def next_index() -> int:
    """The next unused index (the unique constraint settles a race: the issuer retries)."""
    highest = db.session.scalar(sa.select(sa.func.max(Certificate.status_index)))
    return 0 if highest is None else highest + 1


def bitstring() -> tuple[bytes, datetime]:
    """The revocation bits (bit 0 = leftmost bit of byte 0) and the latest revocation."""
    rows = db.session.execute(
        sa.select(Certificate.status_index, Certificate.revoked_at).where(
            Certificate.status_index.is_not(None)
        )
    ).all()
    highest = max((index for index, _ in rows), default=0)
    size = max(MIN_BITS, (highest // 8 + 1) * 8)
    bits = bytearray(size // 8)
    latest = EPOCH
    for index, revoked_at in rows:
        if revoked_at is not None:
            bits[index // 8] |= 0x80 >> (index % 8)
            latest = max(latest, revoked_at)
    return bytes(bits), latest


def encode(bits: bytes) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListError("encodedList is not multibase base64url ('u…')")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        # A list is at most a few MB uncompressed; refuse anything that inflates beyond.
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bits = stream.read(16 * 1024 * 1024 + 1)
    except (ValueError, OSError, EOFError) as error:
        raise StatusListError(f"encodedList cannot be decoded: {error}") from error
    if len(bits) > 16 * 1024 * 1024:
        raise StatusListError("encodedList is too large")
    return bits


def read_bit(bits: bytes, index: int) -> int:
    if index < 0 or index >= len(bits) * 8:
        raise StatusListError(f"statusListIndex {index} is outside the list")
    return (bits[index // 8] >> (7 - index % 8)) & 1


def status_list_credential() -> dict:
    """The signed status list credential for the current state of every certificate."""
    bits, latest = bitstring()
    key = identity.platform_key()
    url = identity.status_list_url()
    memo_key = hashlib.sha256(
        bits + url.encode() + key_fingerprint(key.public_key()).encode()
    ).hexdigest()
    cached = _memo.get(memo_key)
    if cached is not None:
        return cached
    unsigned = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": identity.issuer_id(),
        "validFrom": iso_utc(latest),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bits),
            "ttl": TTL_MS,
        },
    }
    signed = sign_document(unsigned, key, identity.verification_method(), iso_utc(latest))
    _memo.clear()  # one state at a time is enough
    _memo[memo_key] = signed
    return signed


def published_status(certificate: Certificate) -> dict | None:
    """What the published list says about ``certificate``: its URL, the certificate's
    index and whether the bit is set (None: the certificate has no entry)."""
    if certificate.status_index is None:
        return None
    credential = status_list_credential()
    bits = decode(credential["credentialSubject"]["encodedList"])
    return {
        "url": credential["id"],
        "index": certificate.status_index,
        "revoked": bool(read_bit(bits, certificate.status_index)),
    }
