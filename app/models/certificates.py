"""Certificates: what a learner or a relative achieved, printable and publicly verifiable.

A certificate is immutable once issued: what it says is snapshotted (names, school,
achievement, competences, level) and signed as an Open Badges 3.0 credential, so a paper
printed today and its verification page always agree. Only two things happen to it later:
it is revoked (by a school admin — final until a school admin re-enables it — or because
the guided session behind it was rejected),
or — for a relative's combined certificate — it is superseded by a newer combined
certificate that lists one more task. See docs/certificates.md.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.guided import GuidedSession, Relative
from app.models.org import School
from app.models.users import User


class CertificateKind(StrEnum):
    TASK = "task"  # a relative passed one essential task in a confirmed guided session
    COMBINED = "combined"  # every task a relative holds, on one page
    PATH = "path"  # a learner completed a learning path (lessons/paths.yaml)
    DOMAIN = "domain"  # a learner achieved every competence of a domain at a level


class Certificate(db.Model):
    """One issued certificate, held by a user or by a relative (never both)."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.CheckConstraint(
            "(holder_user_id IS NULL) <> (holder_relative_id IS NULL)", name="one_holder"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The verification code without dashes (28 characters, see app/certificates/codes.py).
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind, "certificate_kind"))

    holder_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    holder_relative_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("relatives.id"), index=True
    )
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    school_name: Mapped[str] = mapped_column(sa.String(160))

    # Task id, path id, domain code, or "combined"; with the title shown on the paper.
    achievement_id: Mapped[str] = mapped_column(sa.String(100))
    achievement_title: Mapped[str] = mapped_column(sa.String(300))
    competences: Mapped[list] = mapped_column(sa.JSON, default=list)  # framework codes
    level: Mapped[str] = mapped_column(sa.String(8))  # level code, e.g. CB2, TC1
    # Display snapshot: competence and level names, a combined certificate's parts.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    guided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    guided_by_name: Mapped[str | None] = mapped_column(sa.String(300))
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_by_name: Mapped[str | None] = mapped_column(sa.String(300))

    # Where it comes from: a guided session (task), a path id (path), a domain code (domain).
    source_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("guided_sessions.id"), index=True
    )
    source_path_id: Mapped[str | None] = mapped_column(sa.String(100))
    source_domain: Mapped[str | None] = mapped_column(sa.String(4))

    # Set while the certificate is current, NULL once revoked or superseded. Unique, so the
    # database itself refuses a second current certificate for the same relative and task
    # (or learner and path, …) even when two requests issue at the same moment.
    current_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)

    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # A school admin's revocation is final for the holder and achievement: nothing issues
    # them that certificate again until a school admin re-enables it, with a reason
    # (app/certificates/lifecycle.py). Withdrawals that follow from something else (a
    # rejected session, a withdrawn part of a combined certificate) are not final.
    revocation_final: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    reenabled_at: Mapped[datetime | None]
    reenabled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reenable_reason: Mapped[str | None] = mapped_column(sa.String(500))
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))

    # Its bit in the public revocation status list (W3C Bitstring Status List), named in
    # the credential's ``credentialStatus``; assigned at issue, never reused.
    status_index: Mapped[int | None] = mapped_column(unique=True)

    # The signed Open Badges 3.0 credential (eddsa-jcs-2022 and eddsa-rdfc-2022 proofs).
    credential: Mapped[dict] = mapped_column(sa.JSON)

    holder_user: Mapped[User | None] = relationship(foreign_keys=[holder_user_id])
    holder_relative: Mapped[Relative | None] = relationship(foreign_keys=[holder_relative_id])
    school: Mapped[School] = relationship(foreign_keys=[school_id])
    guided_by: Mapped[User | None] = relationship(foreign_keys=[guided_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    reenabled_by: Mapped[User | None] = relationship(foreign_keys=[reenabled_by_id])
    source_session: Mapped[GuidedSession | None] = relationship(foreign_keys=[source_session_id])
    superseded_by: Mapped[Certificate | None] = relationship(
        foreign_keys=[superseded_by_id], remote_side="Certificate.id"
    )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def blocks_reissue(self) -> bool:
        """Revoked by a school admin and not re-enabled: the holder gets no new one."""
        return self.revocation_final and self.reenabled_at is None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def is_current(self) -> bool:
        return not self.is_revoked and not self.is_superseded

    @property
    def part_ids(self) -> list[int]:
        """A combined certificate's task certificates, in the order listed."""
        return [part["id"] for part in self.details.get("parts", [])]
