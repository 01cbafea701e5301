"""Joining a relative someone else registered: a request the family approves.

A student who says "same person" on the match screen does not get the relative: they
get a ``RelativeLinkRequest``. The student who registered her (or the homeroom teacher
of a student linked to her) approves it, and only then is a ``RelativeLink`` written.
Without that, a student of another class who guesses a grandmother's name and birth
year gains nothing: no phone, no certificate, no claim code, no sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import audit
from app.audit import actions
from app.dates import utcnow
from app.extensions import db
from app.guided.exceptions import RelativeError
from app.guided.relative_rules import may_decide_link_request
from app.guided.relatives import RelativeInput, clean_name, find_matches, student_link
from app.models import (
    LinkRequestStatus,
    ParentLink,
    Relative,
    RelativeLink,
    RelativeLinkRequest,
    User,
)

ALREADY_DECIDED = _l("Yêu cầu này đã được xử lý rồi.")


def request_link(student: User, data: RelativeInput, relative_id: int) -> RelativeLinkRequest:
    """Ask to join a relative the student confirmed on the match screen.

    ``relative_id`` must be one of ``find_matches`` for the same input: a student cannot
    ask for an arbitrary relative of the school by posting an id.
    """
    relative = next((r for r in find_matches(student, data) if r.id == relative_id), None)
    if relative is None:
        raise RelativeError(
            _l("Không tìm thấy người thân trùng khớp. Hãy kiểm tra lại tên và năm sinh.")
        )
    if student_link(student, relative.id) is not None:
        raise RelativeError(_l("Em đã đăng ký người thân này rồi."))
    request = db.session.scalar(
        sa.select(RelativeLinkRequest).where(
            RelativeLinkRequest.student_id == student.id,
            RelativeLinkRequest.relative_id == relative.id,
        )
    )
    if request is not None and request.status == LinkRequestStatus.PENDING:
        raise RelativeError(_l("Em đã gửi yêu cầu này rồi. Hãy chờ gia đình hoặc thầy cô duyệt."))
    if request is None:
        request = RelativeLinkRequest(student_id=student.id, relative_id=relative.id)
        db.session.add(request)
    request.typed_name = clean_name(data.full_name)
    request.typed_phone = data.phone
    request.relation = data.relation
    request.consent_on = data.consent_on
    request.parent_informed_on = data.parent_informed_on
    request.status = LinkRequestStatus.PENDING
    request.created_at = utcnow()
    request.decided_by_id = None
    request.decided_at = None
    db.session.flush()
    audit.record(
        actions.RELATIVE_LINK_REQUESTED,
        target=relative,
        school=relative.school_id,
        detail={"request_id": request.id},
    )
    db.session.commit()
    return request


def decide(request: RelativeLinkRequest, user: User, approve: bool) -> RelativeLink | None:
    """Approve (write the link) or refuse a pending request; the caller checked the rule."""
    if not may_decide_link_request(user, request):
        raise RelativeError(_l("Em không có quyền duyệt yêu cầu này."))
    # Claim the decision with a conditional UPDATE: two approvers tapping at once
    # (the student and the teacher) write one decision.
    now = utcnow()
    claimed = db.session.execute(
        sa.update(RelativeLinkRequest)
        .where(
            RelativeLinkRequest.id == request.id,
            RelativeLinkRequest.status == LinkRequestStatus.PENDING,
        )
        .values(
            status=LinkRequestStatus.APPROVED if approve else LinkRequestStatus.REFUSED,
            decided_by_id=user.id,
            decided_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise RelativeError(ALREADY_DECIDED)
    link = None
    if approve:
        relative = request.relative
        link = RelativeLink(
            student_id=request.student_id,
            relative=relative,
            relation=request.relation,
            consent_on=request.consent_on,
            parent_informed_on=request.parent_informed_on,
        )
        db.session.add(link)
        if relative.phone is None and request.typed_phone:
            relative.phone = request.typed_phone
        if relative.account_id is not None:
            _link_parent_account(relative, request.student_id, request.relation)
    audit.record(
        actions.RELATIVE_LINK_DECIDED,
        target=request.relative,
        target_user=request.student_id,
        school=request.relative.school_id,
        detail={"request_id": request.id, "approved": approve},
    )
    db.session.commit()
    db.session.refresh(request)
    return link


def _link_parent_account(relative: Relative, student_id: int, relation: str) -> None:
    """An approved sibling joins a relative who already has her own account."""
    exists = db.session.scalar(
        sa.select(ParentLink.id).where(
            ParentLink.parent_id == relative.account_id, ParentLink.student_id == student_id
        )
    )
    if exists is None:
        db.session.add(
            ParentLink(parent_id=relative.account_id, student_id=student_id, relation=relation)
        )


def decidable_request(user: User, request_id: int) -> RelativeLinkRequest | None:
    """The request if this user may decide it; anyone else's looks missing."""
    request = db.session.get(RelativeLinkRequest, request_id)
    if request is None or not may_decide_link_request(user, request):
        return None
    return request


@dataclass(frozen=True)
class RequestToDecide:
    request: RelativeLinkRequest
    relative: Relative  # the decider already sees her


def requests_to_decide(user: User, relative_ids: list[int] | None = None) -> list[RequestToDecide]:
    """Pending requests this user may decide (for a student: relatives they registered).

    ``relative_ids`` narrows to some relatives (a teacher's class page).
    """
    query = (
        sa.select(RelativeLinkRequest)
        .options(joinedload(RelativeLinkRequest.student), joinedload(RelativeLinkRequest.relative))
        .where(RelativeLinkRequest.status == LinkRequestStatus.PENDING)
        .order_by(RelativeLinkRequest.created_at, RelativeLinkRequest.id)
    )
    if relative_ids is not None:
        if not relative_ids:
            return []
        query = query.where(RelativeLinkRequest.relative_id.in_(relative_ids))
    else:
        mine = sa.select(RelativeLink.relative_id).where(RelativeLink.student_id == user.id)
        query = query.where(RelativeLinkRequest.relative_id.in_(mine))
    return [
        RequestToDecide(request, request.relative)
        for request in db.session.scalars(query).unique()
        if may_decide_link_request(user, request)
    ]


def own_requests(student: User) -> list[RelativeLinkRequest]:
    """The student's requests still waiting or refused; shown by what the student typed."""
    return list(
        db.session.scalars(
            sa.select(RelativeLinkRequest)
            .where(
                RelativeLinkRequest.student_id == student.id,
                RelativeLinkRequest.status != LinkRequestStatus.APPROVED,
            )
            .order_by(RelativeLinkRequest.created_at.desc())
        )
    )
