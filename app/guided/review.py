"""The teacher's side of a guided session: the verification queue, confirm, reject.

A homeroom teacher reviews the sessions of their classes' students, a school admin those
of the whole school; nobody else sees them. A review carries the session's ``version``
like every other write, so two reviewers at once cannot both decide.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.certificates.relatives import task_revoked
from app.extensions import db
from app.guided.exceptions import GuidedError, IllegalTransition, StaleSession
from app.guided.services import TASK_REVOKED_MESSAGE, save, sync_certificates
from app.guided.states import move_review
from app.models import Classroom, Enrollment, GuidedSession, ReviewStatus, Role, User
from app.models.base import utcnow
from app.teach.services import can_manage_student


def reviewable_sessions(reviewer: User) -> sa.Select:
    """Sessions a reviewer may see: their homeroom classes' students, or their school's."""
    query = sa.select(GuidedSession).join(User, User.id == GuidedSession.student_id)
    if reviewer.role == Role.SCHOOL_ADMIN:
        return query.where(User.school_id == reviewer.school_id)
    if reviewer.role == Role.TEACHER:
        homeroom_students = (
            sa.select(Enrollment.student_id)
            .join(Classroom, Classroom.id == Enrollment.classroom_id)
            .where(Classroom.homeroom_teacher_id == reviewer.id)
        )
        return query.where(GuidedSession.student_id.in_(homeroom_students))
    return query.where(sa.false())


def review_queue(reviewer: User) -> list[GuidedSession]:
    """Pending sessions, oldest first, with what the queue shows loaded in a few queries."""
    return list(
        db.session.scalars(
            reviewable_sessions(reviewer)
            .options(
                selectinload(GuidedSession.steps),
                joinedload(GuidedSession.student),
                joinedload(GuidedSession.relative),
            )
            .where(GuidedSession.review_status == ReviewStatus.PENDING)
            .order_by(GuidedSession.finished_at, GuidedSession.id)
        ).unique()
    )


def session_for_reviewer(reviewer: User, session_id: int) -> GuidedSession | None:
    session = db.session.get(GuidedSession, session_id)
    if session is None or not can_manage_student(reviewer, session.student):
        return None
    return session


def confirm(session: GuidedSession, reviewer: User, note: str | None, version: int | None) -> None:
    if session.review_status != ReviewStatus.WITHDRAWN and task_revoked(
        session.relative_id, session.walkthrough_id
    ):
        raise IllegalTransition(TASK_REVOKED_MESSAGE)
    _review(session, reviewer, ReviewStatus.CONFIRMED, note or None, version)


def reject(session: GuidedSession, reviewer: User, reason: str, version: int | None) -> None:
    """Withdraw the credit; the reason is required (for instance after a phone call)."""
    if not reason or not reason.strip():
        raise GuidedError(_l("Hãy ghi lý do từ chối."))
    _review(session, reviewer, ReviewStatus.REJECTED, reason.strip(), version)


def _review(
    session: GuidedSession, reviewer: User, to: ReviewStatus, reason: str | None,
    version: int | None,
) -> None:  # fmt: skip
    if version is not None and version != session.version:
        raise StaleSession(
            _l("Buổi hướng dẫn này vừa được người khác xem xét. Trang đã được tải lại.")
        )
    move_review(session, to)
    session.reviewed_by_id = reviewer.id
    session.reviewed_at = utcnow()
    session.review_reason = reason
    save()
    sync_certificates(session)
