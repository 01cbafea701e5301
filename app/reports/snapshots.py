"""Weekly and monthly reports, frozen as JSON so they never change afterwards.

``flask reports snapshot`` (for cron) and the school admin's button both call
``take_snapshot``. A snapshot taken while its period is still running is provisional and
the next one of the same period replaces it; the first one taken after the period ended
is final and is never touched again. Dates are local (Asia/Ho_Chi_Minh): a cron job at
00:05 on Monday closes the week that just ended there, not the UTC one.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa

from app import dates
from app.content.registry import ContentRegistry
from app.extensions import db
from app.models import School, Ward
from app.models.org import school_year_for
from app.models.reports import ReportSnapshot, SnapshotPeriod, SnapshotScope
from app.reports.school_report import build_school_report, build_ward_report


class Outcome(StrEnum):
    CREATED = "created"
    REPLACED = "replaced"  # a provisional snapshot of a running period, refreshed
    KEPT = "kept"  # the period's final snapshot exists: left as it is


@dataclass(frozen=True)
class Period:
    kind: SnapshotPeriod
    key: str
    start: date
    end: date  # inclusive


def period_of(kind: SnapshotPeriod, day: date) -> Period:
    """The ISO week (Monday–Sunday, "2026-W47") or calendar month ("2026-11") of a day."""
    if kind is SnapshotPeriod.WEEK:
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return Period(kind, f"{year}-W{week:02d}", start, start + timedelta(days=6))
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(kind, f"{day:%Y-%m}", day.replace(day=1), day.replace(day=last))


def local_today(now: datetime | None = None) -> date:
    """Today where the schools are (``app.dates``); ``now`` is naive UTC as stored."""
    return dates.local_date(now) if now is not None else dates.today()


def take_snapshot(
    target: School | Ward,
    period: Period,
    content: ContentRegistry,
    *,
    by_id: int | None = None,
    now: datetime | None = None,
) -> tuple[ReportSnapshot, Outcome]:
    """Freeze the report of a school or a ward for a period; the caller commits."""
    now = now or dates.utcnow()
    scope = SnapshotScope.SCHOOL if isinstance(target, School) else SnapshotScope.WARD
    existing = db.session.scalar(
        sa.select(ReportSnapshot).where(
            ReportSnapshot.scope == scope,
            ReportSnapshot.scope_id == target.id,
            ReportSnapshot.period == period.kind,
            ReportSnapshot.period_key == period.key,
        )
    )
    if existing is not None and existing.final:
        return existing, Outcome.KEPT
    school_year = school_year_for(period.end)
    build = build_school_report if scope is SnapshotScope.SCHOOL else build_ward_report
    data = build(target, school_year, content, now)
    snapshot = existing or ReportSnapshot(
        scope=scope, scope_id=target.id, period=period.kind, period_key=period.key
    )
    snapshot.period_start, snapshot.period_end = period.start, period.end
    snapshot.school_year = school_year
    snapshot.taken_at, snapshot.taken_by_id = now, by_id
    snapshot.final = local_today(now) > period.end
    snapshot.data = data
    if existing is None:
        db.session.add(snapshot)
    return snapshot, Outcome.REPLACED if existing else Outcome.CREATED


def snapshot_everything(
    kind: SnapshotPeriod, day: date, content: ContentRegistry, now: datetime | None = None
) -> list[tuple[str, ReportSnapshot, Outcome]]:
    """Every school's and every ward's snapshot for the period holding ``day`` (cron).

    Commits after each one, so a failure half-way keeps what was already frozen.
    """
    period = period_of(kind, day)
    done = []
    targets: list[School | Ward] = [
        *db.session.scalars(sa.select(School).order_by(School.id)),
        *db.session.scalars(sa.select(Ward).order_by(Ward.id)),
    ]
    for target in targets:
        snapshot, outcome = take_snapshot(target, period, content, now=now)
        db.session.commit()
        done.append((target.name, snapshot, outcome))
    return done


def snapshots_of(
    scope: SnapshotScope, scope_id: int, kind: SnapshotPeriod | None = None, limit: int = 60
) -> list[ReportSnapshot]:
    """Newest first. Loads the JSON too: callers show each one's headline figures."""
    query = sa.select(ReportSnapshot).where(
        ReportSnapshot.scope == scope, ReportSnapshot.scope_id == scope_id
    )
    if kind is not None:
        query = query.where(ReportSnapshot.period == kind)
    return list(db.session.scalars(query.order_by(ReportSnapshot.period_start.desc()).limit(limit)))


def weekly_trend(scope: SnapshotScope, scope_id: int, school_year: str) -> list[ReportSnapshot]:
    """The weekly snapshots of a school year, oldest first (the trend chart's points)."""
    return list(
        db.session.scalars(
            sa.select(ReportSnapshot)
            .where(
                ReportSnapshot.scope == scope,
                ReportSnapshot.scope_id == scope_id,
                ReportSnapshot.period == SnapshotPeriod.WEEK,
                ReportSnapshot.school_year == school_year,
            )
            .order_by(ReportSnapshot.period_start)
        )
    )
