"""Roster imports: a school's spreadsheet of classes, students and teachers, from preview to
confirmation, and what the import did."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.org import School
from app.models.users import User


class ImportStatus(StrEnum):
    PENDING = "pending"  # parsed and shown in the preview; nothing written yet
    APPLIED = "applied"  # confirmed and written in one transaction


class RosterImport(db.Model):
    """One uploaded roster file.

    While pending, ``payload`` holds the rows parsed on the server (never data sent back by
    the browser), bound to the admin who uploaded it and their school, until
    ``expires_at``. Once applied, the payload is dropped (it is personal data the import no
    longer needs) and ``summary`` records what was done. ``card_passwords`` holds the
    initial passwords of the accounts it created, encrypted, only until
    ``card_passwords_until`` (see ``app.roster.card_passwords``).
    """

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    file_name: Mapped[str] = mapped_column(sa.String(200))
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus, "import_status"), default=ImportStatus.PENDING
    )
    payload: Mapped[dict | None] = mapped_column(sa.JSON)
    summary: Mapped[dict | None] = mapped_column(sa.JSON)
    card_passwords: Mapped[str | None] = mapped_column(sa.Text)
    card_passwords_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]

    school: Mapped[School] = relationship()
    uploaded_by: Mapped[User] = relationship()
