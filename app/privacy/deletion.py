"""Deletion requests: a learner or parent asks, a school admin decides with a reason.

The decision is written once (conditional UPDATE on the pending status) and kept: who
decided, when, approve or refuse, and why. Approving erases the person
(``erasure.erase_user``): pages and exports then show no trace of them, and reports
keep them only as a number.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import audit
from app.audit import actions
from app.dates import utcnow
from app.extensions import db
from app.models import DeletionRequest, DeletionStatus, Role, User
from app.privacy.erasure import PrivacyError, erase_user


def pending_of(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        sa.select(DeletionRequest).where(
            DeletionRequest.requester_id == user.id,
            DeletionRequest.status == DeletionStatus.PENDING,
        )
    )


def latest_of(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        sa.select(DeletionRequest)
        .where(DeletionRequest.requester_id == user.id)
        .order_by(DeletionRequest.created_at.desc(), DeletionRequest.id.desc())
        .limit(1)
    )


def ask(user: User, reason: str | None) -> DeletionRequest:
    if user.school_id is None:
        raise PrivacyError(_l("Tài khoản này không thuộc trường nào: hãy liên hệ quản trị."))
    if pending_of(user) is not None:
        raise PrivacyError(_l("Bạn đã gửi yêu cầu xoá rồi. Ban giám hiệu sẽ trả lời bạn."))
    request = DeletionRequest(
        requester_id=user.id, school_id=user.school_id, reason=reason or None, created_at=utcnow()
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actions.DELETION_REQUESTED, target=request, target_user=user)
    db.session.commit()
    return request


def school_requests(admin: User) -> list[DeletionRequest]:
    """The admin's own school's requests, waiting ones first."""
    return list(
        db.session.scalars(
            sa.select(DeletionRequest)
            .options(joinedload(DeletionRequest.requester))
            .where(DeletionRequest.school_id == admin.school_id)
            .order_by(
                (DeletionRequest.status == DeletionStatus.PENDING).desc(),
                DeletionRequest.created_at.desc(),
            )
        )
    )


def decidable(admin: User, request_id: int) -> DeletionRequest | None:
    """A request of the admin's own school; another school's looks missing."""
    request = db.session.get(DeletionRequest, request_id)
    if (
        request is None
        or admin.role != Role.SCHOOL_ADMIN
        or admin.school_id is None
        or request.school_id != admin.school_id
    ):
        return None
    return request


def decide(request: DeletionRequest, admin: User, approve: bool, reason: str) -> None:
    decided = db.session.execute(
        sa.update(DeletionRequest)
        .where(DeletionRequest.id == request.id, DeletionRequest.status == DeletionStatus.PENDING)
        .values(
            status=DeletionStatus.APPROVED if approve else DeletionStatus.REFUSED,
            decided_by_id=admin.id,
            decided_at=utcnow(),
            decision_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        db.session.rollback()
        raise PrivacyError(_l("Yêu cầu này đã được quyết định rồi."))
    if approve:
        erase_user(request.requester)
    audit.record(
        actions.DELETION_DECIDED,
        target=request,
        target_user=request.requester_id,
        school=request.school_id,
        detail={"approved": approve},
    )
    db.session.commit()
    db.session.refresh(request)
