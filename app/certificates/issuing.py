"""Creating and retiring certificates: the mechanics every issuing rule shares.

A certificate is created complete — code, snapshot, signed credential — and inserted in
a savepoint guarded by its unique ``current_key``, so two requests issuing the same
thing at the same moment end with one certificate. ``create`` also refuses a key that a
school admin's revocation blocks, so no issuing path can revive a revoked certificate.
Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.certificates import codes
from app.certificates.publishing import sign_certificate
from app.content.registry import ContentRegistry
from app.extensions import db
from app.models import Certificate, CertificateKind, Classroom, Enrollment
from app.models.base import utcnow

# Stored on the certificate (seen by school staff only), always in Vietnamese.
PART_WITHDRAWN = "Một nhiệm vụ trong chứng nhận đã bị thu hồi."
SESSION_REJECTED = "Buổi hướng dẫn không được giáo viên xác nhận."


@dataclass
class IssueReport:
    """What one issuing run did, for the CLI and for callers that want to say so."""

    issued: list[Certificate] = field(default_factory=list)
    revoked: list[Certificate] = field(default_factory=list)
    superseded: list[Certificate] = field(default_factory=list)

    def extend(self, other: IssueReport) -> None:
        self.issued += other.issued
        self.revoked += other.revoked
        self.superseded += other.superseded


# --- what a certificate is *of*: one key per holder and achievement ----------------------
# The same string is the ``current_key`` of the current certificate, and (computed from
# the row) what a revocation by a school admin blocks.


def task_key(relative_id: int, task_id: str) -> str:
    return f"task:{relative_id}:{task_id}"


def combined_key(relative_id: int) -> str:
    return f"combined:{relative_id}"


def path_key(user_id: int, path_id: str) -> str:
    return f"path:{user_id}:{path_id}"


def domain_key(user_id: int, domain: str, level: str) -> str:
    return f"domain:{user_id}:{domain}:{level}"


def achievement_key(certificate: Certificate) -> str:
    """The holder-and-achievement key of any certificate, current or not."""
    kind = certificate.kind
    if kind == CertificateKind.TASK:
        return task_key(certificate.holder_relative_id, certificate.achievement_id)
    if kind == CertificateKind.COMBINED:
        return combined_key(certificate.holder_relative_id)
    if kind == CertificateKind.PATH:
        return path_key(certificate.holder_user_id, certificate.achievement_id)
    return domain_key(certificate.holder_user_id, certificate.achievement_id, certificate.level)


def blocked_keys(*, relative_ids: Iterable[int] = (), user_ids: Iterable[int] = ()) -> set[str]:
    """Keys these holders may not be issued again: a school admin revoked the certificate
    and no school admin has re-enabled it (one query)."""
    relative_ids, user_ids = set(relative_ids), set(user_ids)
    if not relative_ids and not user_ids:
        return set()
    rows = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.revocation_final.is_(True),
            Certificate.reenabled_at.is_(None),
            sa.or_(
                Certificate.holder_relative_id.in_(relative_ids),
                Certificate.holder_user_id.in_(user_ids),
            ),
        )
    )
    return {achievement_key(c) for c in rows}


def is_blocked(key: str) -> bool:
    """Whether the certificate with this key was revoked for good (see ``blocked_keys``)."""
    kind, holder = key.split(":")[:2]
    if kind in ("task", "combined"):
        return key in blocked_keys(relative_ids=[int(holder)])
    return key in blocked_keys(user_ids=[int(holder)])


def competence_details(codes_: Iterable[str], level: str, content: ContentRegistry) -> dict:
    framework = content.framework
    names = {}
    for code in codes_:
        competence = framework.competence(code)
        names[code] = competence.name_vi if competence else code
    found = framework.level(level)
    return {
        "competence_names": names,
        "level_label": f"{found.label_vi}" if found else level,
    }


def framework_order(codes_: Iterable[str], content: ContentRegistry) -> list[str]:
    order = {c.code: i for i, c in enumerate(content.framework.competences)}
    return sorted(set(codes_), key=lambda code: (order.get(code, 99), code))


def level_number(level: str, content: ContentRegistry) -> int:
    found = content.framework.level(level)
    return found.number if found else 0


def create(
    certificate: Certificate, current_key: str, content: ContentRegistry, report: IssueReport
) -> Certificate | None:
    """Give the certificate a code, sign it, and insert it — or return the current one.

    Runs in a savepoint: if another request inserted the same ``current_key`` first, the
    insert fails on the unique constraint and that certificate is returned instead.
    Only a certificate actually inserted goes into ``report.issued``. Returns None, and
    inserts nothing, when a school admin revoked this holder's certificate for good.
    """
    if is_blocked(current_key):
        return None
    certificate.current_key = current_key
    certificate.issued_at = utcnow().replace(microsecond=0)
    certificate.details = {
        **competence_details(certificate.competences, certificate.level, content),
        **(certificate.details or {}),
    }
    for _attempt in range(3):
        certificate.code = codes.new_code()
        certificate.status_index = None  # a fresh index each try: another may have taken it
        certificate.credential = sign_certificate(certificate)
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            existing = current_certificate(current_key)
            if existing is not None:
                return existing
            continue  # a code or status index taken meanwhile: draw another
        report.issued.append(certificate)
        return certificate
    raise RuntimeError("could not insert a certificate after three attempts")


def current_certificate(current_key: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.current_key == current_key))


def retire(certificate: Certificate, *, revoked_reason: str | None = None, by_id=None) -> None:
    """Take a certificate out of current use: revoke it, or (no reason) supersede it."""
    now = utcnow().replace(microsecond=0)
    certificate.current_key = None
    if revoked_reason is None:
        certificate.superseded_at = now
    else:
        certificate.revoked_at = now
        certificate.revoke_reason = revoked_reason
        certificate.revoked_by_id = by_id
    db.session.flush()


def classes_of(student_ids: Iterable[int]) -> dict[int, Classroom]:
    """Each student's class in the latest school year they are enrolled in (one query)."""
    ids = set(student_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Enrollment.student_id, Classroom)
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .where(Enrollment.student_id.in_(ids))
        .order_by(Classroom.school_year)
    )
    return {student_id: classroom for student_id, classroom in rows}  # latest year wins
