"""Erasing a person: consent withdrawn by a relative, or a deletion request approved.

The person's row stays, so every count that included them (sessions, relatives helped,
learners who passed) stays the same; what identifies them goes: name, birth year, phone,
username, claim codes, link requests, names printed on certificates and cached PDFs.
Each erasure happens once: a conditional UPDATE (``… WHERE erased_at IS NULL``, or
``… WHERE active``) refuses the second.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.audit import actions
from app.auth.passwords import hash_password
from app.certificates.pdf import cache_dir
from app.dates import utcnow
from app.extensions import db
from app.models import (
    Certificate,
    ClaimCode,
    GuidedSession,
    ParentLink,
    Relative,
    RelativeLinkRequest,
    SessionStatus,
    User,
)

ERASED_NAME = "(đã xoá)"  # stored data, not interface text: shown as is in every language
ERASED_USERNAME = "da-xoa-{id}"
OPEN_SESSIONS = (SessionStatus.IN_PROGRESS, SessionStatus.CHECKING)


class PrivacyError(Exception):
    """A privacy request that cannot be carried out; ``message`` is shown to the user."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message


def withdraw_consent(relative: Relative) -> None:
    """The relative (or her family, or the teacher) withdraws consent: erase her."""
    _erase_relative(relative)
    audit.record(actions.CONSENT_WITHDRAWN, target=relative, school=relative.school_id)
    db.session.commit()


def erase_user(user: User) -> None:
    """Erase a learner or parent (an approved deletion request). The caller commits."""
    relative = db.session.scalar(sa.select(Relative).where(Relative.account_id == user.id))
    if relative is not None and relative.erased_at is None:
        _erase_relative(relative)  # erases her account too
    else:
        _erase_account(user)


def _erase_relative(relative: Relative) -> None:
    old_name = relative.full_name
    erased = db.session.execute(
        sa.update(Relative)
        .where(Relative.id == relative.id, Relative.erased_at.is_(None))
        .values(erased_at=utcnow(), full_name=ERASED_NAME, birth_year=None, phone=None)
        .execution_options(synchronize_session=False)
    )
    if erased.rowcount != 1:
        db.session.rollback()
        raise PrivacyError(_l("Thông tin của người thân này đã được xoá rồi."))
    db.session.execute(sa.delete(ClaimCode).where(ClaimCode.relative_id == relative.id))
    db.session.execute(
        sa.delete(RelativeLinkRequest).where(RelativeLinkRequest.relative_id == relative.id)
    )
    db.session.execute(
        sa.update(GuidedSession)
        .where(GuidedSession.relative_id == relative.id, GuidedSession.status.in_(OPEN_SESSIONS))
        .values(status=SessionStatus.ABANDONED, version=GuidedSession.version + 1)
        .execution_options(synchronize_session=False)
    )
    _scrub_certificates(Certificate.holder_relative_id == relative.id, old_name)
    if relative.account_id is not None:
        account = db.session.get(User, relative.account_id)
        if account is not None and account.active:
            _erase_account(account)
    db.session.expire(relative)


def _erase_account(user: User) -> None:
    old_name = user.full_name
    erased = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.active.is_(True))
        .values(
            full_name=ERASED_NAME,
            username=ERASED_USERNAME.format(id=user.id),
            password_hash=hash_password(secrets.token_urlsafe(32)),
            active=False,
            birth_year=None,
            birth_date=None,
            external_code=None,
            session_nonce=secrets.token_urlsafe(12),
        )
        .execution_options(synchronize_session=False)
    )
    if erased.rowcount != 1:
        db.session.rollback()
        raise PrivacyError(_l("Dữ liệu của người này đã được xoá rồi."))
    db.session.execute(
        sa.delete(ParentLink).where(
            sa.or_(ParentLink.parent_id == user.id, ParentLink.student_id == user.id)
        )
    )
    db.session.execute(
        sa.delete(RelativeLinkRequest).where(RelativeLinkRequest.student_id == user.id)
    )
    _scrub_certificates(Certificate.holder_user_id == user.id, old_name)
    _scrub_certificates(Certificate.guided_by_id == user.id, old_name)
    _scrub_certificates(Certificate.confirmed_by_id == user.id, old_name)
    db.session.expire(user)


def _scrub_certificates(condition, old_name: str) -> None:
    """Replace the name wherever a certificate printed it, and drop its cached PDFs."""
    for certificate in db.session.scalars(sa.select(Certificate).where(condition)):
        if certificate.holder_name == old_name:
            certificate.holder_name = ERASED_NAME
        for column in ("guided_by_name", "confirmed_by_name"):
            value = getattr(certificate, column)
            if value and old_name in value:
                setattr(certificate, column, value.replace(old_name, ERASED_NAME))
        certificate.details = _replace(certificate.details, old_name)
        certificate.credential = _replace(certificate.credential, old_name)
        for path in cache_dir().glob(f"certificate-{certificate.id}-*.pdf"):
            path.unlink(missing_ok=True)


def _replace(value: Any, old: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, ERASED_NAME) if old else value
    if isinstance(value, dict):
        return {key: _replace(item, old) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, old) for item in value]
    return value
