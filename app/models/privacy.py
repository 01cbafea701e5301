"""Requests people make about their own personal data (Law 91/2025/QH15)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.users import User


class DeletionStatus(StrEnum):
    PENDING = "pending"  # waits for the school admin
    APPROVED = "approved"  # the person's data was erased
    REFUSED = "refused"  # kept, with the reason told to the person


class DeletionRequest(db.Model):
    """A learner or parent asking the school to delete their data, and the decision.

    The row keeps no personal data of its own (ids, dates, reasons), so it stays as the
    record of the decision after the person has been erased.
    """

    __tablename__ = "deletion_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[DeletionStatus] = mapped_column(
        enum_type(DeletionStatus, "deletion_status"), default=DeletionStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.String(500))

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
