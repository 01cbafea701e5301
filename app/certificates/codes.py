"""Verification codes: unguessable, typeable, and self-checking.

A code is 27 random characters (135 bits) in Crockford's base32 alphabet — digits and
capitals without I, L, O, U, so nothing is confused with 1, 0 or V — plus one check
character, shown in seven groups of four: ``7KQ2-M9XD-…``. On input, case, dashes and
spaces do not matter, and O/I/L are read as 0/1/1 as Crockford recommends.

The check character c makes Σ αⁱ·vᵢ = 0 over GF(32), summing over all 28 positions
(vᵢ the value of the i-th character, α a primitive element, c at position 27). In a field
a non-zero error times αⁱ stays non-zero, so a single mistyped character always breaks the
sum, and since αⁱ ≠ αʲ for i ≠ j below 31, so does swapping any two different characters.
A typo is therefore caught on the phone, before any lookup: a mistyped code never shows
someone else's certificate.
"""

from __future__ import annotations

import re
import secrets
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
ALIASES = {"O": "0", "I": "1", "L": "1"}
DATA_LENGTH = 27  # 27 × 5 = 135 bits of randomness
CODE_LENGTH = DATA_LENGTH + 1
GROUP = 4
SEPARATORS = re.compile(r"[\s\-–—_.·]+")

# GF(2⁵) with the primitive polynomial x⁵ + x² + 1; α = x.
_POLY = 0b100101
_EXP: list[int] = []
_value = 1
for _ in range(31):
    _EXP.append(_value)
    _value <<= 1
    if _value & 0b100000:
        _value ^= _POLY
_LOG = {value: power for power, value in enumerate(_EXP)}


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % 31]


def check_character(data: str) -> str:
    """The check character of ``data`` (normalised characters of ALPHABET)."""
    total = 0
    for position, char in enumerate(data):
        total ^= _gf_mul(_EXP[position % 31], VALUES[char])
    # The check character c sits at position n with its own weight αⁿ, so that
    # Σ αⁱ·vᵢ + αⁿ·c = 0: c = α⁻ⁿ · Σ. (With weight 1 it could swap unseen with position 0.)
    return ALPHABET[_gf_mul(total, _EXP[(31 - len(data)) % 31])]


def new_code() -> str:
    """A fresh code, normalised (no dashes): 27 random characters and the check."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + check_character(data)


def format_code(code: str) -> str:
    """Grouped for reading aloud and typing: ``XXXX-XXXX-…``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


class CodeProblem(StrEnum):
    EMPTY = "empty"
    LENGTH = "length"
    CHARACTER = "character"
    CHECK = "check"


class InvalidCode(ValueError):
    """What is wrong with a typed code, for a message that helps fix it."""

    def __init__(self, problem: CodeProblem, *, length: int = 0, character: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.length = length
        self.character = character


def normalise_code(typed: str) -> str:
    """The stored form of a typed or scanned code; raise InvalidCode saying what is wrong.

    Accepts any case, dashes or spaces between groups, and a whole pasted verification
    address (everything up to ``/verify/`` is dropped).
    """
    text = (typed or "").strip()
    if "/verify/" in text:
        text = text.rsplit("/verify/", 1)[1].split("?", 1)[0].split("#", 1)[0]
        text = text.removesuffix(".json")
    text = SEPARATORS.sub("", text).upper()
    if not text:
        raise InvalidCode(CodeProblem.EMPTY)
    text = "".join(ALIASES.get(char, char) for char in text)
    for char in text:
        if char not in VALUES:
            raise InvalidCode(CodeProblem.CHARACTER, character=char, length=len(text))
    if len(text) != CODE_LENGTH:
        raise InvalidCode(CodeProblem.LENGTH, length=len(text))
    if check_character(text[:-1]) != text[-1]:
        raise InvalidCode(CodeProblem.CHECK, length=len(text))
    return text


def is_valid_code(typed: str) -> bool:
    try:
        normalise_code(typed)
    except InvalidCode:
        return False
    return True
