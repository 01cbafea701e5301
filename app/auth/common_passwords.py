"""Passwords too common to accept.

The list is the 30,000 most common passwords that the zxcvbn package ships (its
``passwords`` frequency list), plus ``data/common_passwords_vi.txt``: Vietnamese
favourites (``matkhau``, ``anhyeuem``…) and the words of this platform. A Vietnamese
word followed by digits (``matkhau2025``, ``anhyeuem1990``) is just as easy to guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

VIETNAMESE_LIST = Path(__file__).parent / "data" / "common_passwords_vi.txt"
_TRAILING_DIGITS = re.compile(r"[\d\W_]+$")
_SEPARATORS = re.compile(r"[\s._-]+")


@lru_cache(maxsize=1)
def _vietnamese() -> frozenset[str]:
    lines = VIETNAMESE_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | _vietnamese()


def is_common(password: str) -> bool:
    """True when the password is on a common-password list (case and spaces ignored), a
    Vietnamese favourite followed by digits, or one or two characters repeated."""
    folded = _SEPARATORS.sub("", password.strip().lower())
    if len(set(folded)) <= 2:
        return True
    if folded in _common():
        return True
    stem = _TRAILING_DIGITS.sub("", folded)
    return bool(stem) and stem != folded and stem in _vietnamese() and len(stem) >= 4
