"""Initial passwords, kept encrypted just long enough to print the login cards.

Passwords are stored only as hashes, so the cards must be made from the passwords chosen when
the accounts are created. There were two ways to do that: keep those passwords for a while,
or reset every password again whenever cards are printed. Resetting at print time silently
invalidates the cards already handed out each time a class is printed twice (a jammed
printer, a lost card, a second copy for the teacher), and nobody could tell which sheet is
the good one. So the initial passwords are kept, with these limits:

- encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from SECRET_KEY by
  HKDF with a label of its own, so a copy of the database alone reveals nothing;
- only those of the accounts the import created, readable only by the school's admins;
- only for ``KEEP_DAYS`` days, or until an admin says the cards are printed, whichever
  comes first (``purge_expired`` runs on every roster page and from ``flask roster purge``);
- a card is printed only while the account still has that password: the hash stored with
  it must equal the account's current hash. A changed or reset password, or the first
  sign-in (which rehashes the password at full cost), drops the card: it is no longer
  needed, and a stale password is never printed.

If SECRET_KEY changes, the kept passwords can no longer be read and are treated as gone;
teachers can still reset a student's password one by one.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from app.models.roster import RosterImport

KEEP_DAYS = 14
KEY_LABEL = b"cung-hoc-so/roster/card-passwords/v1"


@dataclass(frozen=True)
class KeptPassword:
    user_id: int
    password: str
    password_hash: str  # the hash set with it, to tell whether it is still the password


def _fernet(label: bytes = KEY_LABEL) -> Fernet:
    """Fernet under a key derived from SECRET_KEY for one purpose (``label``)."""
    secret = current_app.config["SECRET_KEY"].encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def keep(roster_import: RosterImport, entries: list[KeptPassword], now: datetime) -> None:
    """Store the batch's initial passwords (in file order, the order cards are printed)."""
    if not entries:
        return
    data = [[e.user_id, e.password, e.password_hash] for e in entries]
    roster_import.card_passwords = _fernet().encrypt(json.dumps(data).encode()).decode()
    roster_import.card_passwords_until = now + timedelta(
        days=current_app.config.get("ROSTER_CARD_DAYS", KEEP_DAYS)
    )


def read(roster_import: RosterImport, now: datetime) -> list[KeptPassword]:
    """The kept passwords, or [] once forgotten, expired or unreadable."""
    if not roster_import.card_passwords or not roster_import.card_passwords_until:
        return []
    if roster_import.card_passwords_until <= now:
        return []
    try:
        data = json.loads(_fernet().decrypt(roster_import.card_passwords.encode()))
    except (InvalidToken, ValueError):
        return []
    return [KeptPassword(int(uid), str(pw), str(h)) for uid, pw, h in data]


def forget(roster_import: RosterImport) -> None:
    roster_import.card_passwords = None
    roster_import.card_passwords_until = None
