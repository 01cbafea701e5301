"""Which guided sessions count, and the school year's dates.

A session counts when it is passed and confirmed by the school AND the relative's task
certificate issued for it (if there is one) is not revoked. Revoking that certificate —
"học sinh làm hộ" — therefore removes the session from every figure at once, even before
(or without) the session's own confirmation being withdrawn. A session re-enabled by a
school admin with a new, current certificate counts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from app import dates
from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    GuidedSession,
    ReviewStatus,
    SessionStatus,
)

CONFIRMED = sa.and_(
    GuidedSession.status == SessionStatus.PASSED,
    GuidedSession.review_status == ReviewStatus.CONFIRMED,
)


def _task_certificate(revoked: bool):
    return (
        sa.select(Certificate.id)
        .where(
            Certificate.source_session_id == GuidedSession.id,
            Certificate.kind == CertificateKind.TASK,
            Certificate.revoked_at.is_not(None) if revoked else Certificate.revoked_at.is_(None),
        )
        .exists()
    )


# Confirmed, and not withdrawn through a revoked certificate (unless a newer, current
# certificate for the same session was issued again by a school admin).
COUNTED = sa.and_(CONFIRMED, sa.or_(~_task_certificate(True), _task_certificate(False)))

# When a session happened: when it finished (passed), else when it started.
SESSION_TIME = sa.func.coalesce(GuidedSession.finished_at, GuidedSession.started_at)


def school_year_dates(school_year: str) -> tuple[date, date]:
    """'2025-2026' → 1 August 2025 … 31 July 2026 (``app.models.org.school_year_for``)."""
    start = int(school_year[:4])
    return date(start, 8, 1), date(start + 1, 7, 31)


def school_year_range_utc(school_year: str) -> tuple[datetime, datetime]:
    """The school year as a [start, end) range of stored UTC timestamps (Vietnam days)."""
    return dates.day_range_utc(*school_year_dates(school_year))


def in_school_year(school_year: str):
    start, end = school_year_range_utc(school_year)
    return sa.and_(start <= SESSION_TIME, end > SESSION_TIME)


@dataclass(frozen=True)
class CountedSession:
    id: int
    student_id: int
    relative_id: int
    walkthrough_id: str
    at: datetime


def counted_sessions(where) -> list[CountedSession]:
    """Counted sessions matching ``where`` (one query), oldest first."""
    rows = db.session.execute(
        sa.select(
            GuidedSession.id,
            GuidedSession.student_id,
            GuidedSession.relative_id,
            GuidedSession.walkthrough_id,
            SESSION_TIME,
        )
        .where(COUNTED, where)
        .order_by(SESSION_TIME, GuidedSession.id)
    )
    return [CountedSession(*row) for row in rows]


def relatives_helped(student_ids: Iterable[int], school_year: str | None = None) -> dict[int, int]:
    """Per student: distinct relatives they guided in counted sessions — in that school
    year, or ever when ``school_year`` is None. Every id asked gets a key (0 when none).

    One grouped query. The student's own page and their parents' page use it; reports
    get the same figure from ``app.outcomes.counting``.
    """
    wanted = sorted(set(student_ids))
    result = dict.fromkeys(wanted, 0)
    if not wanted:
        return result
    query = (
        sa.select(GuidedSession.student_id, sa.func.count(sa.distinct(GuidedSession.relative_id)))
        .where(COUNTED, GuidedSession.student_id.in_(wanted))
        .group_by(GuidedSession.student_id)
    )
    if school_year is not None:
        query = query.where(in_school_year(school_year))
    result.update({student_id: count for student_id, count in db.session.execute(query)})
    return result
