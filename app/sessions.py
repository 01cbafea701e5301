"""The session cookie, encrypted as well as signed.

Flask's default cookie is only signed: anyone holding it (a shared phone, a proxy log)
can base64-decode it and read what is inside — flash messages that name a relative, for
one. Here the same cookie is sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a key
derived from ``SECRET_KEY``; the content is Flask's usual tagged JSON, and a cookie that
does not decrypt (tampered, older format, other key) simply starts a new session.
"""

from __future__ import annotations

import base64
import zlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

KEY_LABEL = b"cunghocso session cookie v1"


class _SealedSerializer:
    """The two methods Flask's cookie session calls, over Fernet."""

    def __init__(self, secret_key: str | bytes) -> None:
        secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_LABEL).derive(secret)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._json = TaggedJSONSerializer()

    def dumps(self, value: dict) -> str:
        # compressed first, as Flask's own cookie is: repeated flashes stay small
        packed = zlib.compress(self._json.dumps(value).encode())
        return self._fernet.encrypt(packed).decode("ascii")

    def loads(self, data: str | bytes, max_age: int | None = None) -> dict:
        token = data.encode("ascii", "ignore") if isinstance(data, str) else data
        try:
            packed = self._fernet.decrypt(token, ttl=max_age)
            return self._json.loads(zlib.decompress(packed).decode())
        except (InvalidToken, ValueError, TypeError, zlib.error):
            raise BadSignature("session cookie does not decrypt") from None


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str | bytes) -> _SealedSerializer:
    return _SealedSerializer(secret_key)


class SealedCookieSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app: Flask):  # type: ignore[override]
        if not app.secret_key:
            return None
        return _serializer_for(app.secret_key)


def init_app(app: Flask) -> None:
    app.session_interface = SealedCookieSessionInterface()
