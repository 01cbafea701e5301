"""Issuing, revoking and showing certificates: the rules, in one place.

Issuing rules (docs/certificates.md tells the story for people):

- **task** — a relative whose guided session is ``passed`` and ``confirmed`` holds one
  certificate per essential task, never two: the ``current_key`` ``task:<relative>:<task>``
  is unique in the database. A session rejected later withdraws (revokes) its certificate.
- **combined** — once a relative holds two or more current task certificates, one
  combined certificate lists them all. Certificates never change after issue, so when a
  task is added a *new* combined certificate is issued and the old one is marked
  superseded (still true, just no longer complete); when a listed task is withdrawn, the
  old one is revoked instead. Parts are listed in issue order (then id), so the same
  parts always give the same combined certificate.
- **path** — a learner (student, staff, parent) who completed a path of their audience.
- **domain** — a learner who achieved every competence of a domain at their expected
  level (``app.learn.progress_rules``).

A certificate a school admin revoked is never issued again to that holder for that
achievement — by any rule here, the cron job included — until a school admin re-enables
it with a reason (``app.certificates.lifecycle``).

Everything here flushes and never commits: callers own the transaction. Issuing is
idempotent: ``issue_pending_certificates()`` run twice changes nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app import dates
from app.certificates import codes
from app.certificates.issuing import IssueReport
from app.certificates.learners import issue_for_user, issue_for_users
from app.certificates.lifecycle import (
    CertificateError,
    can_reenable,
    can_revoke,
    reenable_certificate,
    revoke_certificate,
)
from app.certificates.relatives import issue_for_session, issue_for_sessions, sync_relatives
from app.content import get_content
from app.extensions import db
from app.models import (
    LEARNER_ROLES,
    Certificate,
    CertificateKind,
    Classroom,
    Enrollment,
    GuidedSession,
    Relative,
    RelativeLink,
    Role,
    User,
)
from app.models.org import school_year_for

__all__ = [
    "CertificateError",
    "IssueReport",
    "issue_for_session",
    "issue_for_user",
    "issue_for_users",
    "issue_pending_certificates",
    "can_reenable",
    "can_revoke",
    "reenable_certificate",
    "revoke_certificate",
]

BATCH = 500  # learners per progress query in a bulk run


def issue_pending_certificates() -> IssueReport:
    """Everything the rules say should exist and does not, and nothing twice.

    Used by ``flask certificates issue`` (cron-safe) and the demo loader. Flushes; the
    caller commits.
    """
    content = get_content()
    report = IssueReport()
    touched = issue_for_sessions(content, report)
    with_certificates = set(
        db.session.scalars(
            sa.select(Certificate.holder_relative_id)
            .where(Certificate.holder_relative_id.is_not(None))
            .distinct()
        )
    )
    sync_relatives(touched | with_certificates, content, report)
    learner_ids = list(
        db.session.scalars(
            sa.select(User.id)
            .where(User.role.in_(LEARNER_ROLES), User.active.is_(True))
            .order_by(User.id)
        )
    )
    for start in range(0, len(learner_ids), BATCH):
        batch = db.session.scalars(
            sa.select(User).where(User.id.in_(learner_ids[start : start + BATCH]))
        ).all()
        report.extend(issue_for_users(batch))
    db.session.flush()
    return report


# --- who sees what --------------------------------------------------------------------


def guides_of(certificate: Certificate) -> set[int]:
    """The students who guided the relative (every part's guide, for a combined one)."""
    if certificate.kind == CertificateKind.COMBINED:
        return {p["guided_by_id"] for p in certificate.details.get("parts", [])} - {None}
    return {certificate.guided_by_id} - {None}


def _linked_students(relative_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(RelativeLink.student_id).where(RelativeLink.relative_id == relative_id)
        )
    )


def students_of(certificate: Certificate) -> set[int]:
    """The students a certificate belongs with: the holder, or for a relative every
    student who registered her (the guides always have) — the family, as the guided
    pages define it."""
    if certificate.holder_relative_id is not None:
        return _linked_students(certificate.holder_relative_id) | guides_of(certificate)
    holder = certificate.holder_user
    return {holder.id} if holder is not None and holder.role == Role.STUDENT else set()


def _homeroom_of_any(teacher: User, student_ids: set[int]) -> bool:
    if not student_ids:
        return False
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Enrollment)
            .join(Classroom, Enrollment.classroom_id == Classroom.id)
            .where(
                Enrollment.student_id.in_(student_ids),
                Classroom.homeroom_teacher_id == teacher.id,
            )
        )
        > 0
    )


def can_view(user: User, certificate: Certificate) -> bool:
    """The holder; for a relative, the students who registered or guided her; the
    homeroom teacher of those students; an admin of the issuing school.

    Nobody from another school: teachers and admins see only what their school issued.
    """
    if certificate.holder_user_id == user.id:
        return True
    relative = certificate.holder_relative
    if relative is not None and relative.account_id == user.id:
        return True
    if user.school_id is None or user.school_id != certificate.school_id:
        return False
    if user.role == Role.SCHOOL_ADMIN:
        return True
    if user.role == Role.STUDENT:
        return certificate.holder_relative_id is not None and user.id in students_of(certificate)
    if user.role == Role.TEACHER:
        return _homeroom_of_any(user, students_of(certificate))
    return False


@dataclass
class RelativeCertificates:
    relative_name: str
    certificates: list[Certificate]


@dataclass
class MyCertificates:
    own: list[Certificate]
    relatives: list[RelativeCertificates]


def _shown(query) -> list[Certificate]:
    """Current and revoked certificates (a superseded combined one is replaced)."""
    return list(
        db.session.scalars(
            query.where(Certificate.superseded_at.is_(None)).order_by(
                Certificate.issued_at.desc(), Certificate.id.desc()
            )
        )
    )


def _combined_first(certificates: list[Certificate]) -> list[Certificate]:
    return sorted(certificates, key=lambda c: (c.kind != CertificateKind.COMBINED, c.is_revoked))


def my_certificates(user: User) -> MyCertificates:
    """Own certificates; a student also sees those of the relatives they registered."""
    holder = Certificate.holder_user_id == user.id
    if user.role == Role.PARENT:
        claimed = sa.select(Relative.id).where(Relative.account_id == user.id)
        holder = holder | Certificate.holder_relative_id.in_(claimed)
    own = _shown(sa.select(Certificate).where(holder))
    relatives: list[RelativeCertificates] = []
    if user.role == Role.STUDENT:
        linked = sa.select(RelativeLink.relative_id).where(RelativeLink.student_id == user.id)
        grouped: dict[int, list[Certificate]] = defaultdict(list)
        for certificate in _shown(
            sa.select(Certificate).where(Certificate.holder_relative_id.in_(linked))
        ):
            grouped[certificate.holder_relative_id].append(certificate)
        relatives = [
            RelativeCertificates(items[0].holder_name, _combined_first(items))
            for items in sorted(grouped.values(), key=lambda items: items[0].holder_name)
        ]
    return MyCertificates(own, relatives)


@dataclass
class StudentCertificates:
    student: User
    own: list[Certificate]
    relatives: list[Certificate]  # of the relatives this student registered


def classroom_certificates(classroom: Classroom) -> list[StudentCertificates]:
    """Per student of the class: their certificates and their relatives' (4 queries)."""
    students = list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(User.full_name, User.id)
        )
    )
    ids = [s.id for s in students]
    own: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in _shown(sa.select(Certificate).where(Certificate.holder_user_id.in_(ids))):
        own[certificate.holder_user_id].append(certificate)
    relatives: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in relative_certificates_of_class(classroom, ids):
        relatives[certificate.guided_by_id].append(certificate)
    return [StudentCertificates(s, own[s.id], relatives[s.id]) for s in students]


def relative_certificates_of_class(
    classroom: Classroom, student_ids: list[int]
) -> list[Certificate]:
    """The relatives' certificates that belong to this class: each in ONE class, that of
    the student who guided the session, in the class they were in on the session's day
    (two siblings in 6A1 and 8A1 never print their grandmother twice; a session of last
    year stays in last year's class). By holder name, combined first (2 queries)."""
    if not student_ids:
        return []
    rows = db.session.execute(
        sa.select(Certificate, GuidedSession.finished_at, GuidedSession.started_at)
        .outerjoin(GuidedSession, GuidedSession.id == Certificate.source_session_id)
        .where(
            Certificate.holder_relative_id.is_not(None),
            Certificate.guided_by_id.in_(student_ids),
            Certificate.superseded_at.is_(None),
        )
    ).all()
    enrolments: dict[int, list[tuple[str, date | None, int, int]]] = defaultdict(list)
    for student_id, school_year, left_on, enrolment_id, classroom_id in db.session.execute(
        sa.select(
            Enrollment.student_id,
            Classroom.school_year,
            Enrollment.left_on,
            Enrollment.id,
            Enrollment.classroom_id,
        )
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Enrollment.student_id.in_(student_ids), Classroom.school_id == classroom.school_id)
    ):
        enrolments[student_id].append((school_year, left_on, enrolment_id, classroom_id))
    found = []
    for certificate, finished_at, started_at in rows:
        day = dates.local_date(finished_at or started_at or certificate.issued_at)
        if class_on(enrolments[certificate.guided_by_id], day) == classroom.id:
            found.append(certificate)
    return sorted(found, key=lambda c: (c.holder_name, c.kind != "combined", c.id))


def class_on(enrolments: list[tuple[str, date | None, int, int]], day: date) -> int | None:
    """The class a student was in on ``day``, from their (school year, left on, enrolment
    id, class id) rows: in the latest school year up to that day's, the enrolment left
    soonest after the day, else the newest one not left."""
    year = school_year_for(day)
    years = [e[0] for e in enrolments if e[0] <= year]
    if not years:
        return None
    latest = [e for e in enrolments if e[0] == max(years)]
    left_later = [e for e in latest if e[1] is not None and e[1] > day]
    if left_later:
        return min(left_later, key=lambda e: (e[1], e[2]))[3]
    still_in = [e for e in latest if e[1] is None]
    return max(still_in, key=lambda e: e[2])[3] if still_in else None


def printable(rows: list[StudentCertificates]) -> list[Certificate]:
    """The current certificates of a class, each once, in class-list order."""
    seen: dict[int, Certificate] = {}
    for row in rows:
        for certificate in row.own + row.relatives:
            if certificate.is_current:
                seen.setdefault(certificate.id, certificate)
    return list(seen.values())


def can_print_classroom(user: User, classroom: Classroom) -> bool:
    from app.teach.services import can_manage_classroom

    return can_manage_classroom(user, classroom)


def classrooms_for(user: User) -> list[Classroom]:
    """The classes whose certificates this teacher or school admin may print."""
    if user.role == Role.SCHOOL_ADMIN:
        return list(
            db.session.scalars(
                sa.select(Classroom)
                .where(Classroom.school_id == user.school_id)
                .order_by(Classroom.school_year.desc(), Classroom.grade, Classroom.name)
            )
        )
    return user.homeroom_classes()


def find_by_code(typed: str) -> Certificate | None:
    """The certificate with this code; raises codes.InvalidCode before any lookup."""
    code = codes.normalise_code(typed)
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))
