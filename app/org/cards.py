"""The login card of one account made or reset by the level above, as a PDF.

The one-time password is shown once on the page that follows; the card is printed from a
sealed token in that page's form (Fernet under a key of its own derived from SECRET_KEY),
so the password is never stored. The token is good for ``CARD_MINUTES``, only for the
person who made it, and only while the account still has that password: once its owner
has signed in and chosen their own, the card is gone.
"""

from __future__ import annotations

import json

from cryptography.fernet import InvalidToken
from flask_babel import gettext as _

from app.extensions import db
from app.models import Role, User
from app.org.services import NewAccount
from app.roster.card_passwords import _fernet
from app.roster.cards import render_cards_pdf
from app.roster.services import Card

KEY_LABEL = b"cung-hoc-so/org/login-card/v1"
CARD_MINUTES = 60


def role_label(role: Role) -> str:
    return {
        Role.ADMIN: _("Quản trị hệ thống"),
        Role.CITY_OFFICER: _("Cán bộ Sở Giáo dục và Đào tạo"),
        Role.WARD_OFFICER: _("Cán bộ phường, xã"),
        Role.SCHOOL_ADMIN: _("Quản trị nhà trường"),
    }.get(role, _("Giáo viên, nhân viên"))


def place_of(user: User) -> str:
    place = user.school or user.ward or user.province
    return place.name if place is not None else _("Quản trị hệ thống")


def seal(account: NewAccount, actor: User) -> str:
    data = [account.user.id, account.password, account.user.password_hash, actor.id]
    return _fernet(KEY_LABEL).encrypt(json.dumps(data).encode()).decode()


def open_sealed(token: str, actor: User) -> tuple[User, str] | None:
    """(the account, its one-time password), or None when the card can no longer be made."""
    try:
        raw = _fernet(KEY_LABEL).decrypt(token.encode(), ttl=CARD_MINUTES * 60)
        user_id, password, password_hash, actor_id = json.loads(raw)
    except (InvalidToken, ValueError, TypeError):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or actor_id != actor.id or user.password_hash != password_hash:
        return None
    return user, str(password)


def card_pdf(user: User, password: str) -> bytes:
    card = Card(user.full_name, None, user.username, password, role_label(user.role))
    return render_cards_pdf([card], school_name=place_of(user), title=_("Thẻ đăng nhập"))
