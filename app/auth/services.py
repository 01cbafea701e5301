"""Signing in, changing and resetting passwords."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from app import audit
from app.auth.passwords import dummy_verify, hash_password, needs_rehash, verify_password
from app.extensions import db
from app.models.users import User, new_session_nonce

MIN_PASSWORD_LENGTH = 8
# No 0/O, 1/l/I: initial passwords are read off paper by children and grandparents.
READABLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AuthError(Exception):
    """A sign-in or password change that must be refused; the message is for the user."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def authenticate(username: str, password: str) -> User | None:
    """The user these credentials belong to, or None (and a line in the security log).

    An unknown username costs one Argon2 verification, like a known one, so the time
    taken does not tell which usernames exist."""
    username = normalise_username(username)
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        dummy_verify(password)
        _log_failure(username, None)
        return None
    if not verify_password(user.password_hash, password):
        _log_failure(username, user)
        return None
    if not user.is_active:
        _log_failure(username, user, reason="inactive")
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def _log_failure(username: str, user: User | None, reason: str = "wrong_password") -> None:
    db.session.rollback()
    audit.record(
        audit.actions.LOGIN_FAILED,
        actor=None,
        target_user=user,
        detail={"username": username[:60], "reason": reason if user else "unknown_user"},
        commit=True,
    )


def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    """Store a new password and sign the user out of every other session."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.session_nonce = new_session_nonce()


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere: every session and remember-me cookie carries the old
    nonce, which the user loader now refuses."""
    user.session_nonce = new_session_nonce()
    db.session.commit()


def generate_password(groups: int = 3, size: int = 4) -> str:
    """A readable initial password such as ``k7mq-2x9p-dh4t`` (about 64 bits)."""
    return "-".join(
        "".join(secrets.choice(READABLE_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AuthError("wrong_current_password")
    set_password(user, new)
    audit.record(audit.actions.PASSWORD_CHANGED, target=user)
    db.session.commit()


def reset_password(user: User) -> str:
    """Give the user a new one-time password; they must choose their own at next sign-in."""
    password = generate_password()
    set_password(user, password, must_change=True)
    audit.record(audit.actions.PASSWORD_RESET, target=user)
    db.session.commit()
    return password
