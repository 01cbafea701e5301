"""A relative claims their own parent account with a one-time code given by the family.

The code is the whole secret: 12 digits (10^12 possibilities), shown once to whoever may
act for the relative (the student who registered her, an approved sibling, or the
homeroom teacher), who copies it on paper for her. Nothing a classmate could know about
her (name, birth year) is asked: a grandmother types one number and picks a password.

Only a keyed hash (HMAC-SHA256 with the app's secret key) is stored, so a copy of the
database does not give working codes. A code expires after ``GUIDED_CLAIM_CODE_DAYS``
days; issuing a new one cancels the earlier ones; the claim page is rate-limited. A code
works once, guaranteed by the database: the claim marks it used with
``UPDATE … WHERE used_at IS NULL`` and gives the relative her account with
``UPDATE … WHERE account_id IS NULL``; if either touches no row, the whole claim
(the new user included) is rolled back. Two taps or two phones make one account.
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

from app import audit
from app.audit import actions
from app.auth.passwords import hash_password
from app.dates import utcnow
from app.extensions import db
from app.guided.exceptions import ClaimError
from app.guided.relative_rules import may_manage_relative
from app.guided.relatives import ERASED_MESSAGE
from app.models import ClaimCode, ParentLink, Relative, RelativeLink, Role, User

CODE_DIGITS = 12  # digits are what an elderly person types most easily on a phone
DEFAULT_CODE_DAYS = 14
WRONG_CODE = _l("Mã không đúng. Hãy kiểm tra lại từng số trên giấy.")
USED_CODE = _l("Mã này đã được dùng. Hãy đăng nhập bằng tài khoản đã tạo.")


def code_days() -> int:
    return current_app.config.get("GUIDED_CLAIM_CODE_DAYS", DEFAULT_CODE_DAYS)


def normalise_code(raw: str) -> str:
    """'1234 5678 9012', '1234-5678-9012' and '123456789012' are the same code."""
    return re.sub(r"[\s\-.]", "", raw or "")


def format_code(code: str) -> str:
    """In groups of four, as it is read aloud and copied on paper."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, formatted 1234-5678
    expires_at: object  # naive UTC datetime


def issue_code(relative: Relative, issuer: User) -> IssuedCode:
    """A new claim code for the relative (earlier codes stop working).

    Only someone who may act for her issues one: a student linked to her through an
    approved link, or the homeroom teacher / school admin over such a student.
    """
    if not may_manage_relative(issuer, relative):
        raise ClaimError(_l("Em chưa đăng ký người thân này."))
    if relative.erased_at is not None:
        raise ClaimError(ERASED_MESSAGE)
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
            created_by_id=issuer.id,
            code_hash=_hash(code),
            created_at=now,
            expires_at=expires_at,
        )
    )
    audit.record(actions.CLAIM_CODE_ISSUED, target=relative, school=relative.school_id)
    db.session.commit()
    return IssuedCode(format_code(code), expires_at)


def check_code(raw_code: str) -> ClaimCode:
    """The usable code matching ``raw_code``, or ClaimError saying why (reads only)."""
    code = normalise_code(raw_code)
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise ClaimError(_l("Mã gồm 12 chữ số, ví dụ 1234-5678-9012."))
    claim = db.session.scalar(sa.select(ClaimCode).where(ClaimCode.code_hash == _hash(code)))
    if claim is None:
        raise ClaimError(WRONG_CODE)
    if claim.used_at is not None or claim.relative.account_id is not None:
        raise ClaimError(USED_CODE)
    if claim.expires_at <= utcnow():
        raise ClaimError(_l("Mã này đã hết hạn. Hãy nhờ cháu hoặc thầy cô tạo mã mới."))
    return claim


def claim_account(raw_code: str, username: str, password: str) -> User:
    """Create the relative's parent account, linked to the students with approved links.

    Every refusal rolls back: nothing is written but the security-log line.
    """
    try:
        claim = check_code(raw_code)
    except ClaimError as error:
        _log_attempt(None, str(error.message))
        raise
    relative = claim.relative
    user = User(
        username=username,
        password_hash=hash_password(password),
        full_name=relative.full_name,
        role=Role.PARENT,
        school_id=relative.school_id,
        birth_year=relative.birth_year,
    )
    try:
        db.session.add(user)
        db.session.flush()
        now = utcnow()
        used = db.session.execute(
            sa.update(ClaimCode)
            .where(
                ClaimCode.id == claim.id,
                ClaimCode.used_at.is_(None),
                ClaimCode.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        owned = (
            db.session.execute(
                sa.update(Relative)
                .where(Relative.id == relative.id, Relative.account_id.is_(None))
                .values(account_id=user.id)
                .execution_options(synchronize_session=False)
            )
            if used.rowcount == 1
            else None
        )
        if owned is None or owned.rowcount != 1:
            db.session.rollback()
            _log_attempt(claim.relative_id, "used")
            raise ClaimError(USED_CODE)
        # Only approved links: a pending sibling request gives no parent link.
        student_links = db.session.execute(
            sa.select(RelativeLink.student_id, RelativeLink.relation).where(
                RelativeLink.relative_id == relative.id
            )
        ).all()
        for student_id, relation in student_links:
            db.session.add(ParentLink(parent_id=user.id, student_id=student_id, relation=relation))
        audit.record(actions.CLAIM_SUCCEEDED, target=relative, target_user=user,
                     school=relative.school_id)  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ClaimError(_l("Tên đăng nhập này vừa có người dùng. Hãy chọn tên khác.")) from None
    return user


def _log_attempt(relative_id: int | None, outcome: str) -> None:
    db.session.rollback()
    audit.record(
        actions.CLAIM_ATTEMPT,
        detail={"relative_id": relative_id, "outcome": outcome[:60]},
        commit=True,
    )


def active_code_expiry(relative: Relative):
    """When the relative's current code expires (None when there is no usable code)."""
    now = utcnow()
    live = [c.expires_at for c in relative.claim_codes if c.used_at is None and c.expires_at > now]
    return max(live, default=None)
