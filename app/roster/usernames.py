"""Usernames for imported accounts: readable, ASCII, unique across the platform.

Shape: the given name, the family name and the class the student joined in, folded to
ASCII (diacritics dropped, đ → d) and joined by dots: "Trần Minh An" in 6A1 → ``an.tran.6a1``.
Teachers and staff get a prefix instead of a class: ``gv.ha.nguyen``, ``nv.lan.pham``.
A child reads it off a card and types it on a phone, so it uses only lower-case letters,
digits, dots and hyphens, and no part is longer than 15 characters. When a name is taken
(here or in another school), ``.2``, ``.3``… is appended: ``an.tran.6a1.2``. The class
stays in the username after the student moves up: it is only a name, not a fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from app.extensions import db
from app.models.users import Role, User
from app.roster.fields import fold

PART_LENGTH = 15
MAX_LENGTH = 60  # User.username
PREFIXES = {Role.TEACHER: "gv", Role.STAFF: "nv"}
LOOKUP_CHUNK = 200


def base_username(full_name: str, role: Role, class_name: str | None) -> str:
    words = [re.sub(r"[^a-z0-9]", "", w)[:PART_LENGTH] for w in fold(full_name).split()]
    words = [w for w in words if w]
    name_parts = [words[-1], words[0]] if len(words) > 1 else words or ["nguoi"]
    if role == Role.STUDENT:
        suffix = [re.sub(r"[^a-z0-9]+", "-", class_name.lower()).strip("-")] if class_name else []
        parts = name_parts + [p for p in suffix if p]
    else:
        parts = [PREFIXES.get(role, "gv"), *name_parts]
    return ".".join(parts)[: MAX_LENGTH - 4]


class UsernameAllocator:
    """Hands out free usernames for a batch, with one query per 200 distinct bases.

    The database's unique constraint stays the final word: if another import takes a name
    between this check and the commit, that import's transaction fails as a whole and the
    admin simply confirms again."""

    def __init__(self, bases: Iterable[str]) -> None:
        self.taken: set[str] = set()
        distinct = sorted(set(bases))
        for start in range(0, len(distinct), LOOKUP_CHUNK):
            chunk = distinct[start : start + LOOKUP_CHUNK]
            # base, base.2, base.3… all sort between base and base + "/" ("." < "/"):
            # a range the username index answers directly, unlike LIKE on SQLite.
            conditions = [
                sa.and_(User.username >= base, User.username < f"{base}/") for base in chunk
            ]
            self.taken.update(
                db.session.scalars(sa.select(User.username).where(sa.or_(*conditions)))
            )

    def allocate(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}.{n}"
        self.taken.add(candidate)
        return candidate
