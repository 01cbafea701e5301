"""Revoking a certificate, and re-enabling one: the only two things a school admin does
to a certificate after it is issued.

- **Revocation is final** for that holder and achievement (a relative's task or combined
  certificate, a learner's path or domain certificate): ``Certificate.revocation_final``
  makes every issuing path (``issuing.create``) refuse that key again — the cron job, a
  later session, a later quiz. A revoked task certificate also withdraws the confirmed
  guided sessions of that relative and task (``ReviewStatus.WITHDRAWN``), so they leave
  every count.
- **Re-enabling** is a school admin's decision with a required reason, recorded on the
  revoked certificate (``reenabled_at``, ``reenabled_by_id``, ``reenable_reason``). The
  revoked certificate stays revoked (its paper and credential stay invalid); the withdrawn
  sessions count again and a new certificate is issued at once if it is owed.

Both run through one function each, so whatever else must happen on a revocation (a
security log, a status list) has one place to hook. Nothing here commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.certificates.issuing import IssueReport, retire
from app.certificates.learners import issue_for_user
from app.certificates.relatives import issue_for_session, sync_relatives
from app.content import get_content
from app.dates import utcnow
from app.extensions import db
from app.guided.states import restore_confirmation, withdraw_confirmation
from app.models import Certificate, CertificateKind, GuidedSession, ReviewStatus, Role, User

REASON_MIN, REASON_MAX = 5, 500


class CertificateError(Exception):
    """A request the rules refuse; the message is for the person who asked."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def can_revoke(user: User, certificate: Certificate) -> bool:
    """Only an admin of the issuing school revokes (a teacher rejects the session instead)."""
    return user.role == Role.SCHOOL_ADMIN and user.school_id == certificate.school_id


can_reenable = can_revoke


def _clean_reason(reason: str | None, empty_message) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise CertificateError(empty_message)
    if not REASON_MIN <= len(text) <= REASON_MAX:
        raise CertificateError(
            _l("Lý do cần từ %(min)d đến %(max)d ký tự.", min=REASON_MIN, max=REASON_MAX)
        )
    return text


def _task_sessions(certificate: Certificate, status: ReviewStatus) -> list[GuidedSession]:
    """The relative's sessions for this certificate's task, in the given review state."""
    content = get_content()
    walkthroughs = [
        lesson.id
        for lesson in content.walkthroughs()
        if (lesson.task_id or lesson.id) == certificate.achievement_id
    ]
    if certificate.source_session_id is not None:
        source = db.session.get(GuidedSession, certificate.source_session_id)
        if source is not None:
            walkthroughs.append(source.walkthrough_id)
    return list(
        db.session.scalars(
            sa.select(GuidedSession)
            .where(
                GuidedSession.relative_id == certificate.holder_relative_id,
                GuidedSession.walkthrough_id.in_(set(walkthroughs)),
                GuidedSession.review_status == status,
            )
            .order_by(GuidedSession.id)
        )
    )


def revoke_certificate(certificate: Certificate, by: User, reason: str) -> IssueReport:
    """Revoke for good, with a reason (kept private to the school).

    A task certificate also withdraws the relative's confirmed sessions for that task and
    retires the combined certificate that listed it. Raises ``CertificateError`` — and
    changes nothing — for someone who may not, a missing reason, or one already revoked.
    """
    if not can_revoke(by, certificate):
        raise CertificateError(_l("Chỉ ban giám hiệu của trường cấp mới thu hồi được."))
    if certificate.is_revoked:
        raise CertificateError(_l("Chứng nhận này đã bị thu hồi từ trước."))
    text = _clean_reason(reason, _l("Hãy ghi lý do thu hồi."))
    report = IssueReport()
    was_current = certificate.is_current
    retire(certificate, revoked_reason=text, by_id=by.id)
    certificate.revocation_final = True
    audit.record(
        audit.actions.CERTIFICATE_REVOKED, target=certificate, actor=by,
        target_user=certificate.holder_user_id, school=certificate.school_id,
    )  # fmt: skip
    report.revoked.append(certificate)
    if certificate.kind == CertificateKind.TASK:
        for session in _task_sessions(certificate, ReviewStatus.CONFIRMED):
            withdraw_confirmation(session)
        if was_current:
            sync_relatives([certificate.holder_relative_id], get_content(), report)
    db.session.flush()
    return report


def reenable_certificate(certificate: Certificate, by: User, reason: str) -> IssueReport:
    """Lift a revocation's finality, with a reason, and issue again what is owed now.

    The revoked certificate itself stays revoked; a task certificate's withdrawn sessions
    are confirmed again, which issues a new task certificate (and combined one).
    """
    if not can_reenable(by, certificate):
        raise CertificateError(_l("Chỉ ban giám hiệu của trường cấp mới cho cấp lại được."))
    if not certificate.is_revoked:
        raise CertificateError(_l("Chứng nhận này chưa bị thu hồi nên không cần cấp lại."))
    if not certificate.revocation_final:
        raise CertificateError(
            _l(
                "Chứng nhận này được rút tự động (buổi hướng dẫn bị từ chối hoặc một nhiệm vụ "
                "bị thu hồi), không phải do ban giám hiệu thu hồi: không cần cho cấp lại."
            )
        )
    if certificate.reenabled_at is not None:
        raise CertificateError(_l("Chứng nhận này đã được cho cấp lại từ trước."))
    text = _clean_reason(reason, _l("Hãy ghi lý do cho cấp lại."))
    certificate.reenabled_at = utcnow().replace(microsecond=0)
    certificate.reenabled_by_id = by.id
    certificate.reenable_reason = text
    audit.record(
        audit.actions.CERTIFICATE_REENABLED, target=certificate, actor=by,
        target_user=certificate.holder_user_id, school=certificate.school_id,
    )  # fmt: skip
    db.session.flush()
    report = IssueReport()
    if certificate.kind == CertificateKind.TASK:
        restored = _task_sessions(certificate, ReviewStatus.WITHDRAWN)
        for session in restored:
            restore_confirmation(session)
        db.session.flush()
        for session in restored:
            report.extend(issue_for_session(session))
    elif certificate.kind == CertificateKind.COMBINED:
        sync_relatives([certificate.holder_relative_id], get_content(), report)
    elif certificate.holder_user is not None:
        report.extend(issue_for_user(certificate.holder_user))
    db.session.flush()
    return report
