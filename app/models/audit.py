"""The security log: who did what to whom, when and from where.

Rows are only ever added. Nothing in the application updates or deletes them (there is
no code path for it, and on PostgreSQL a trigger refuses both). The ids are plain
integers, not foreign keys, so a person's later deletion never has to touch the log and
the log never stops a deletion; the page joins users by id when they still exist.
Personal details (full names, phone numbers) stay out of ``detail``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_school_id_created_at", "school_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # A dotted name such as "auth.login_failed"; see app.audit.actions for the known ones.
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_role: Mapped[str | None] = mapped_column(sa.String(20))
    # The school whose admin may read this row; None: only the site admin sees it.
    school_id: Mapped[int | None]
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[int | None]
    target_user_id: Mapped[int | None] = mapped_column(index=True)
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    path: Mapped[str | None] = mapped_column(sa.String(200))
    detail: Mapped[dict | None] = mapped_column(sa.JSON)
