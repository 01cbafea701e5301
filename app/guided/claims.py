"""A relative claims their own parent account with a one-time code plus their birth year.

The student's screen shows the code once; only a keyed hash (HMAC-SHA256 with the app's
secret key) is stored, so a copy of the database does not give working codes. A code
expires after ``GUIDED_CLAIM_CODE_DAYS`` days, works once, and is burnt after
``MAX_FAILED_ATTEMPTS`` wrong birth years; the claim page is also rate-limited per
address. Issuing a new code for a relative cancels the codes issued before it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.auth.passwords import hash_password
from app.extensions import db
from app.guided.exceptions import ClaimError
from app.models import ClaimCode, ParentLink, Relative, RelativeLink, Role, User
from app.models.base import utcnow

CODE_DIGITS = 8  # digits are what an elderly person types most easily on a phone
DEFAULT_CODE_DAYS = 14
MAX_FAILED_ATTEMPTS = 5
WRONG_CODE = _l("Mã hoặc năm sinh không đúng. Hãy kiểm tra lại từng số.")


def code_days() -> int:
    return current_app.config.get("GUIDED_CLAIM_CODE_DAYS", DEFAULT_CODE_DAYS)


def normalise_code(raw: str) -> str:
    """'1234 5678', '1234-5678' and '12345678' are the same code."""
    return re.sub(r"[\s\-.]", "", raw or "")


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, formatted 1234-5678
    expires_at: object  # naive UTC datetime


def issue_code(relative: Relative, student: User) -> IssuedCode:
    """A new claim code for a relative the student registered (earlier codes stop working).

    The certificate page can call this too, to print a fresh code on the certificate.
    """
    if not any(link.student_id == student.id for link in relative.links):
        raise ClaimError(_l("Em chưa đăng ký người thân này."))
    if relative.account_id is not None:
        raise ClaimError(_l("Người thân này đã có tài khoản riêng rồi."))
    now = utcnow()
    for old in relative.claim_codes:
        if old.used_at is None and old.expires_at > now:
            old.expires_at = now
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    expires_at = now + timedelta(days=code_days())
    db.session.add(
        ClaimCode(
            relative=relative,
            created_by_id=student.id,
            code_hash=_hash(code),
            created_at=now,
            expires_at=expires_at,
        )
    )
    db.session.commit()
    return IssuedCode(format_code(code), expires_at)


def check_code(raw_code: str, birth_year: int) -> ClaimCode:
    """The valid code matching ``raw_code`` and ``birth_year``, or ClaimError saying why.

    A wrong birth year for a real code counts against that code; after
    ``MAX_FAILED_ATTEMPTS`` it stops working even with the right year.
    """
    code = normalise_code(raw_code)
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise ClaimError(_l("Mã gồm 8 chữ số, ví dụ 1234-5678."))
    claim = db.session.scalar(sa.select(ClaimCode).where(ClaimCode.code_hash == _hash(code)))
    if claim is None:
        raise ClaimError(WRONG_CODE)
    if claim.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise ClaimError(_l("Mã này đã bị khóa vì nhập sai nhiều lần. Hãy nhờ cháu tạo mã mới."))
    if claim.relative.birth_year != birth_year:
        claim.failed_attempts += 1
        db.session.commit()
        raise ClaimError(WRONG_CODE)
    if claim.used_at is not None or claim.relative.account_id is not None:
        raise ClaimError(_l("Mã này đã được dùng. Hãy đăng nhập bằng tài khoản đã tạo."))
    if claim.expires_at <= utcnow():
        raise ClaimError(_l("Mã này đã hết hạn. Hãy nhờ cháu tạo mã mới."))
    return claim


def claim_account(raw_code: str, birth_year: int, username: str, password: str) -> User:
    """Create the relative's parent account, linked to every student who registered them."""
    claim = check_code(raw_code, birth_year)
    relative = claim.relative
    user = User(
        username=username,
        password_hash=hash_password(password),
        full_name=relative.full_name,
        role=Role.PARENT,
        school_id=relative.school_id,
        birth_year=relative.birth_year,
    )
    db.session.add(user)
    db.session.flush()
    relative.account_id = user.id
    claim.used_at = utcnow()
    links = db.session.scalars(
        sa.select(RelativeLink).where(RelativeLink.relative_id == relative.id)
    )
    existing = set(
        db.session.scalars(sa.select(ParentLink.student_id).where(ParentLink.parent_id == user.id))
    )
    for link in links:
        if link.student_id not in existing:
            db.session.add(
                ParentLink(parent_id=user.id, student_id=link.student_id, relation=link.relation)
            )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ClaimError(_l("Tên đăng nhập này vừa có người dùng. Hãy chọn tên khác.")) from None
    return user


def active_code_expiry(relative: Relative):
    """When the relative's current code expires (None when there is no usable code)."""
    now = utcnow()
    live = [c.expires_at for c in relative.claim_codes if c.used_at is None and c.expires_at > now]
    return max(live, default=None)
