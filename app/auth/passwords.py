"""Password hashing with Argon2id at OWASP's recommended minimum cost.

OWASP Password Storage Cheat Sheet: Argon2id with m=19 MiB, t=2, p=1. The test
configuration swaps in a cheap hasher so the suite stays fast; production never does.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

OWASP_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    if current_app and current_app.config.get("PASSWORD_HASHER") == "fast":
        return _FAST_HASHER
    return OWASP_HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_DUMMY_HASHES: dict[int, str] = {}


def dummy_verify(password: str) -> None:
    """Verify against a real hash of the same cost when the username is unknown, so the
    time taken does not tell an attacker which usernames exist. The hash is made once
    per hasher: hashing on every call would make unknown names the slower path."""
    hasher = _hasher()
    dummy = _DUMMY_HASHES.get(id(hasher))
    if dummy is None:
        dummy = _DUMMY_HASHES[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
    verify_password(dummy, password)
