"""Retention: what is removed after a configurable time without activity.

A relative's phone number goes when nothing has happened around her for
``PRIVACY_PHONE_RETENTION_DAYS`` (no registration, session or sign-in); an unused claim
code goes ``PRIVACY_CLAIM_CODE_RETENTION_DAYS`` after it was issued. Run daily by cron
(``flask --app app privacy purge``, see the README); running it twice changes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app.dates import utcnow
from app.extensions import db
from app.models import ClaimCode, GuidedSession, Relative, RelativeLink, RelativeLinkRequest, User
from app.privacy import retention


@dataclass(frozen=True)
class PurgeReport:
    phones: int
    claim_codes: int


def purge() -> PurgeReport:
    now = utcnow()
    phone_cutoff = now - timedelta(days=retention.phone_days())
    code_cutoff = now - timedelta(days=retention.claim_code_days())
    recent_session = sa.select(GuidedSession.id).where(
        GuidedSession.relative_id == Relative.id,
        sa.or_(GuidedSession.started_at >= phone_cutoff, GuidedSession.updated_at >= phone_cutoff),
    )
    recent_link = sa.select(RelativeLink.id).where(
        RelativeLink.relative_id == Relative.id, RelativeLink.created_at >= phone_cutoff
    )
    recent_sign_in = sa.select(User.id).where(
        User.id == Relative.account_id, User.last_active_at >= phone_cutoff
    )
    phones = db.session.execute(
        sa.update(Relative)
        .where(
            Relative.phone.is_not(None),
            Relative.created_at < phone_cutoff,
            ~sa.exists(recent_session),
            ~sa.exists(recent_link),
            ~sa.exists(recent_sign_in),
        )
        .values(phone=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(RelativeLinkRequest)
        .where(
            RelativeLinkRequest.typed_phone.is_not(None),
            RelativeLinkRequest.created_at < phone_cutoff,
        )
        .values(typed_phone=None)
        .execution_options(synchronize_session=False)
    )
    codes = db.session.execute(
        sa.delete(ClaimCode)
        .where(ClaimCode.used_at.is_(None), ClaimCode.created_at < code_cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return PurgeReport(phones=phones, claim_codes=codes)
