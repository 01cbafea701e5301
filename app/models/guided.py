"""Relatives and the guided sessions in which a student trains one of them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.users import User


class Relative(db.Model):
    """A person (often a grandparent) trained by one or more students of a school.

    Two siblings registering the same grandmother share one row, so she is counted once.
    Only what the movement needs is kept: name, birth year, optional phone.
    """

    __tablename__ = "relatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    birth_year: Mapped[int | None]  # None once erased
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    # Consent withdrawn or data deleted: name, birth year and phone are gone, the row
    # stays so counts (sessions, relatives helped) remain, without a name.
    erased_at: Mapped[datetime | None]
    # One account per relative, one relative per account: claims set it with a conditional
    # UPDATE (… WHERE account_id IS NULL), the unique index refuses a second owner.
    account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id"), index=True, unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[User | None] = relationship(foreign_keys=[account_id])
    links: Mapped[list[RelativeLink]] = relationship(back_populates="relative")
    claim_codes: Mapped[list[ClaimCode]] = relationship(
        back_populates="relative", cascade="all, delete-orphan"
    )


class RelativeLink(db.Model):
    """A student's registration of a relative, with the consent the movement requires."""

    __tablename__ = "relative_links"
    __table_args__ = (sa.UniqueConstraint("student_id", "relative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("relatives.id"), index=True)
    relation: Mapped[str] = mapped_column(sa.String(30))
    consent_on: Mapped[date]  # the relative agreed to take part
    parent_informed_on: Mapped[date]  # the student is a minor: a parent was told
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    relative: Mapped[Relative] = relationship(back_populates="links")


class LinkRequestStatus(StrEnum):
    PENDING = "pending"  # waits for the registering student or the homeroom teacher
    APPROVED = "approved"  # a RelativeLink now exists
    REFUSED = "refused"


class RelativeLinkRequest(db.Model):
    """A student asking to be linked to a relative someone else already registered.

    Until the student who registered her (or the homeroom teacher) approves, the
    requester gets no ``RelativeLink`` and so sees nothing of her: every page and rule
    that shows a relative goes through ``RelativeLink``. The request keeps only what the
    requester typed, so showing it back reveals nothing new.
    """

    __tablename__ = "relative_link_requests"
    __table_args__ = (sa.UniqueConstraint("student_id", "relative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("relatives.id"), index=True)
    typed_name: Mapped[str] = mapped_column(sa.String(120))
    typed_phone: Mapped[str | None] = mapped_column(sa.String(20))
    relation: Mapped[str] = mapped_column(sa.String(30))
    consent_on: Mapped[date]
    parent_informed_on: Mapped[date]
    status: Mapped[LinkRequestStatus] = mapped_column(
        enum_type(LinkRequestStatus, "link_request_status"), default=LinkRequestStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    relative: Mapped[Relative] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # steps being recorded
    CHECKING = "checking"  # the relative answers the check questions
    PASSED = "passed"
    NOT_YET = "not_yet"
    ABANDONED = "abandoned"


class ReviewStatus(StrEnum):
    NONE = "none"  # not finished or not passed: nothing to review
    PENDING = "pending"  # waits in the teacher's verification queue
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    # Was confirmed, but a school admin revoked the relative's certificate for this task:
    # the session no longer counts anywhere, until the certificate is re-enabled.
    WITHDRAWN = "withdrawn"


class StepOutcome(StrEnum):
    SELF = "self"  # the relative did it themselves
    HELPED = "helped"
    SKIPPED = "skipped"


class GuidedSession(db.Model):
    """One sitting in which a student walks a relative through one walkthrough."""

    __tablename__ = "guided_sessions"
    __table_args__ = (
        sa.Index("ix_guided_sessions_student_started", "student_id", "started_at"),
        # At most one open session per student, relative and walkthrough (one walkthrough
        # per task): a double tap on "Bắt đầu" cannot open two, whatever the timing.
        sa.Index(
            "uq_guided_sessions_open",
            "student_id",
            "relative_id",
            "walkthrough_id",
            unique=True,
            sqlite_where=sa.text("status IN ('in_progress', 'checking')"),
            postgresql_where=sa.text("status IN ('in_progress', 'checking')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("relatives.id"), index=True)
    walkthrough_id: Mapped[str] = mapped_column(sa.String(100))
    walkthrough_version: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, "session_status"), default=SessionStatus.IN_PROGRESS
    )
    current_step: Mapped[int] = mapped_column(default=1)
    check_details: Mapped[dict | None] = mapped_column(sa.JSON)
    check_score: Mapped[int | None]
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status"), default=ReviewStatus.NONE
    )
    sampled: Mapped[bool] = mapped_column(default=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_reason: Mapped[str | None] = mapped_column(sa.String(500))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: two tabs writing the same session cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    student: Mapped[User] = relationship(foreign_keys=[student_id])
    relative: Mapped[Relative] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    steps: Mapped[list[SessionStep]] = relationship(
        back_populates="session", order_by="SessionStep.step_index", cascade="all, delete-orphan"
    )


class SessionStep(db.Model):
    """What the relative did at one step; re-recording a step updates its row."""

    __tablename__ = "session_steps"
    __table_args__ = (sa.UniqueConstraint("session_id", "step_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("guided_sessions.id"), index=True)
    step_index: Mapped[int]
    outcome: Mapped[StepOutcome] = mapped_column(enum_type(StepOutcome, "step_outcome"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[GuidedSession] = relationship(back_populates="steps")


class ClaimCode(db.Model):
    """A one-time code with which a relative claims their own parent account.

    Only a keyed hash of the code is stored: the plain code is shown once, to the family
    (the registering student, an approved sibling or the homeroom teacher). A code is
    long enough that guessing one is hopeless, expires, and is used once: the claim sets
    ``used_at`` with a conditional UPDATE (… WHERE used_at IS NULL).
    """

    __tablename__ = "claim_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("relatives.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    relative: Mapped[Relative] = relationship(back_populates="claim_codes")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
