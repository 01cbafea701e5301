"""Names as people type them, and usernames as the platform accepts them.

Province, ward and school names are kept as typed (Vietnamese, with diacritics), tidied:
Unicode NFC (a Mac or an old keyboard may send "ủ" as two characters), single spaces.
Two names are the same one when they match ignoring case: "phường thủy nguyên" is
"Phường Thủy Nguyên". Usernames are what a person types on a phone: lower-case letters
without diacritics, digits, and ``. _ -``.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

USERNAME_MIN, USERNAME_MAX = 3, 60  # User.username
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def clean(text: str | None) -> str:
    """NFC, one space between words, none at either end."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def key(text: str | None) -> str:
    """What two names must share to be the same name."""
    return clean(text).casefold()


def check_username(raw: str | None) -> tuple[str, str | None]:
    """(the username, lower-cased and trimmed; a message saying what is wrong, or None)."""
    username = unicodedata.normalize("NFC", (raw or "").strip()).lower()
    if not username:
        return username, _("Hãy nhập tên đăng nhập.")
    bad = []
    for char in username:
        if char not in USERNAME_CHARS:
            shown = _("dấu cách") if char.isspace() else f"“{char}”"
            if shown not in bad:
                bad.append(shown)
    if bad:
        return username, _(
            "Tên đăng nhập “%(value)s” có ký tự không dùng được: %(chars)s. Chỉ dùng chữ cái "
            "không dấu (a–z), chữ số và dấu . _ -, ví dụ “hieutruong.duongquan”.",
            value=username,
            chars=", ".join(bad),
        )
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX or not USERNAME_PATTERN.fullmatch(
        username
    ):
        return username, _(
            "Tên đăng nhập “%(value)s” cần từ %(min)d đến %(max)d ký tự và bắt đầu bằng chữ "
            "cái hoặc chữ số.",
            value=username,
            min=USERNAME_MIN,
            max=USERNAME_MAX,
        )
    return username, None
