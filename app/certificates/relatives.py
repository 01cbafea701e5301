"""Relatives' certificates: one per essential task, and the combined one.

See the rules in ``app.certificates.services``. Sessions are read as the guided feature
leaves them: a session counts when it is ``passed`` and its review ``confirmed``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.certificates.issuing import (
    PART_WITHDRAWN,
    SESSION_REJECTED,
    IssueReport,
    classes_of,
    combined_key,
    create,
    current_certificate,
    framework_order,
    is_blocked,
    level_number,
    retire,
    task_key,
)
from app.content import get_content
from app.content.registry import ContentRegistry
from app.dates import local_date
from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    Classroom,
    GuidedSession,
    Relative,
    ReviewStatus,
    School,
    SessionStatus,
)

log = logging.getLogger(__name__)


def _task_of(session: GuidedSession, content: ContentRegistry):
    """(task id, walkthrough) for a session, or (None, None) if its walkthrough is gone."""
    lesson = content.lesson(session.walkthrough_id)
    if lesson is None:
        return None, None
    return lesson.task_id or lesson.id, lesson


def task_revoked(relative_id: int, walkthrough_id: str) -> bool:
    """Whether a school admin revoked this relative's certificate for the walkthrough's
    task for good: no new session for it may be started or confirmed until re-enabled."""
    lesson = get_content().lesson(walkthrough_id)
    task_id = (lesson.task_id or lesson.id) if lesson is not None else walkthrough_id
    return is_blocked(task_key(relative_id, task_id))


def _issue_task(
    session: GuidedSession,
    content: ContentRegistry,
    guide_class: Classroom | None,
    report: IssueReport,
) -> Certificate | None:
    task_id, lesson = _task_of(session, content)
    if lesson is None:
        log.warning("Session %s: walkthrough %s is not loaded", session.id, session.walkthrough_id)
        return None
    key = task_key(session.relative_id, task_id)
    existing = current_certificate(key)
    if existing is not None:
        return existing
    relative = session.relative
    task = content.framework.task(lesson.task_id) if lesson.task_id else None
    levels = sorted(lesson.levels, key=lambda code: level_number(code, content))
    school = db.session.get(School, relative.school_id)
    certificate = Certificate(
        kind=CertificateKind.TASK,
        holder_relative_id=relative.id,
        holder_name=relative.full_name,
        school_id=school.id,
        school_name=school.name,
        achievement_id=task_id,
        achievement_title=task.title_vi if task else lesson.title,
        competences=framework_order(lesson.competences, content),
        level=levels[0],
        details={
            "walkthrough_id": lesson.id,
            "walkthrough_title": lesson.title,
            "guided_by_class": guide_class.name if guide_class else None,
            "description": lesson.summary,
        },
        guided_by_id=session.student_id,
        guided_by_name=session.student.full_name,
        confirmed_by_id=session.reviewed_by_id,
        confirmed_by_name=session.reviewed_by.full_name if session.reviewed_by else None,
        source_session_id=session.id,
    )
    return create(certificate, key, content, report)


def _part_summary(part: Certificate) -> dict:
    return {
        "id": part.id,
        "code": part.code,
        "achievement_id": part.achievement_id,
        "title": part.achievement_title,
        "competences": list(part.competences),
        "level": part.level,
        "issued_on": local_date(part.issued_at).isoformat(),  # Vietnam's date, as printed
        "guided_by_id": part.guided_by_id,
        "guided_by_name": part.guided_by_name,
        "guided_by_class": part.details.get("guided_by_class"),
        "confirmed_by_name": part.confirmed_by_name,
    }


def _guides(parts: Sequence[Certificate]) -> list[dict]:
    """Each student who guided one of the parts, once, with their class."""
    found: dict[int | None, dict] = {}
    for part in parts:
        found.setdefault(
            part.guided_by_id,
            {"name": part.guided_by_name, "class": part.details.get("guided_by_class")},
        )
    return list(found.values())


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _issue_combined(
    relative: Relative,
    parts: Sequence[Certificate],
    content: ContentRegistry,
    report: IssueReport,
) -> Certificate | None:
    latest = parts[-1]
    guides = _guides(parts)
    with force_locale("vi"):  # stored on the certificate: always Vietnamese
        title = _("Thành thạo %(n)d kỹ năng số thiết yếu", n=len(parts))
    top_level = max((p.level for p in parts), key=lambda code: level_number(code, content))
    certificate = Certificate(
        kind=CertificateKind.COMBINED,
        holder_relative_id=relative.id,
        holder_name=relative.full_name,
        school_id=latest.school_id,
        school_name=latest.school_name,
        achievement_id="combined",
        achievement_title=title,
        competences=framework_order((c for p in parts for c in p.competences), content),
        level=top_level,
        details={"parts": [_part_summary(p) for p in parts], "guides": guides},
        guided_by_id=latest.guided_by_id,
        guided_by_name=", ".join(_unique(g["name"] for g in guides)),
        confirmed_by_id=latest.confirmed_by_id,
        confirmed_by_name=", ".join(_unique(p.confirmed_by_name for p in parts)),
    )
    return create(certificate, combined_key(relative.id), content, report)


def _sync_combined(
    relative: Relative,
    parts: list[Certificate],
    current: Certificate | None,
    latest: Certificate | None,
    content: ContentRegistry,
    report: IssueReport,
) -> None:
    """Make the relative's combined certificate list exactly their current task ones."""
    parts = sorted(parts, key=lambda p: (p.issued_at, p.id))
    part_ids = [p.id for p in parts]
    if current is not None and current.part_ids == part_ids:
        return
    withdrawn = current is not None and not set(current.part_ids) <= set(part_ids)
    if len(parts) < 2:
        if current is not None:
            retire(current, revoked_reason=PART_WITHDRAWN)
            report.revoked.append(current)
        return
    if current is None and latest is not None and latest.blocks_reissue:
        return  # revoked by a school admin: not issued again until one re-enables it
    if current is not None:
        if withdrawn:
            retire(current, revoked_reason=PART_WITHDRAWN)
            report.revoked.append(current)
        else:
            retire(current)
            report.superseded.append(current)
    combined = _issue_combined(relative, parts, content, report)
    if combined is not None and current is not None and not withdrawn:
        current.superseded_by_id = combined.id


def sync_relatives(relative_ids: Iterable[int], content: ContentRegistry, report) -> None:
    """Bring the combined certificates of these relatives up to date (a few queries)."""
    ids = set(relative_ids)
    if not ids:
        return
    relatives = {
        r.id: r for r in db.session.scalars(sa.select(Relative).where(Relative.id.in_(ids)))
    }
    rows = db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.holder_relative_id.in_(ids),
            Certificate.kind.in_([CertificateKind.TASK, CertificateKind.COMBINED]),
        )
        .order_by(Certificate.id)
    )
    parts: dict[int, list[Certificate]] = defaultdict(list)
    current: dict[int, Certificate] = {}
    latest: dict[int, Certificate] = {}
    for certificate in rows:
        rid = certificate.holder_relative_id
        if certificate.kind == CertificateKind.TASK:
            if certificate.is_current:
                parts[rid].append(certificate)
        else:
            latest[rid] = certificate
            if certificate.is_current:
                current[rid] = certificate
    for rid in sorted(ids):
        _sync_combined(
            relatives[rid], parts[rid], current.get(rid), latest.get(rid), content, report
        )


def _session_counts(session: GuidedSession) -> bool:
    return (
        session.status == SessionStatus.PASSED and session.review_status == ReviewStatus.CONFIRMED
    )


def issue_for_session(session: GuidedSession) -> IssueReport:
    """Bring a relative's certificates in line with one guided session.

    Confirmed and passed → the task certificate (if the relative has none for that task
    yet) and an up-to-date combined one. Rejected → its certificate is revoked and the
    combined one re-issued without it. Call it after the review is committed; it only
    flushes, so commit afterwards. If it fails, ``flask certificates issue`` catches up.
    """
    content = get_content()
    report = IssueReport()
    if _session_counts(session):
        classes = classes_of([session.student_id])
        _issue_task(session, content, classes.get(session.student_id), report)
    else:
        for certificate in db.session.scalars(
            sa.select(Certificate).where(
                Certificate.source_session_id == session.id, Certificate.current_key.is_not(None)
            )
        ):
            retire(certificate, revoked_reason=SESSION_REJECTED, by_id=session.reviewed_by_id)
            report.revoked.append(certificate)
    sync_relatives([session.relative_id], content, report)
    db.session.flush()
    return report


def issue_for_sessions(content: ContentRegistry, report: IssueReport) -> set[int]:
    """Every confirmed, passed session without a certificate; every rejected one with."""
    touched: set[int] = set()
    current_keys = set(
        db.session.scalars(
            sa.select(Certificate.current_key).where(
                Certificate.kind == CertificateKind.TASK, Certificate.current_key.is_not(None)
            )
        )
    )
    sessions = list(
        db.session.scalars(
            sa.select(GuidedSession)
            .where(
                GuidedSession.status == SessionStatus.PASSED,
                GuidedSession.review_status == ReviewStatus.CONFIRMED,
            )
            .options(
                selectinload(GuidedSession.relative),
                selectinload(GuidedSession.student),
                selectinload(GuidedSession.reviewed_by),
            )
            .order_by(GuidedSession.reviewed_at, GuidedSession.id)
        )
    )
    classes = classes_of(s.student_id for s in sessions)
    for session in sessions:
        task_id, lesson = _task_of(session, content)
        if lesson is None or task_key(session.relative_id, task_id) in current_keys:
            continue
        certificate = _issue_task(session, content, classes.get(session.student_id), report)
        if certificate is not None:
            current_keys.add(certificate.current_key)
            touched.add(session.relative_id)
    stale = db.session.scalars(
        sa.select(Certificate)
        .join(GuidedSession, Certificate.source_session_id == GuidedSession.id)
        .where(
            Certificate.current_key.is_not(None),
            sa.or_(
                GuidedSession.status != SessionStatus.PASSED,
                GuidedSession.review_status != ReviewStatus.CONFIRMED,
            ),
        )
    )
    for certificate in list(stale):
        session = certificate.source_session
        retire(certificate, revoked_reason=SESSION_REJECTED, by_id=session.reviewed_by_id)
        report.revoked.append(certificate)
        touched.add(certificate.holder_relative_id)
    return touched
