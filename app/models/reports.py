"""Targets, the rules that say who counts as "achieved", and frozen periodic reports.

Targets come from two documents: the ward's directive sets them for every school of a
level (staff ≥ 80%, THCS students 100%, parents ≥ 80% for 2025–2026), and a school's own
plan may set stricter ones (≥ 90% / ≥ 90% / ≥ 70% in 2025, 100% / 100% / > 90% by 2030).
A plan can say "trên 90%" (strictly more than), so each target stores its comparison.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.guided import GuidedSession
from app.models.org import SchoolLevel
from app.models.progress import LessonProgress, QuizResult


class TargetGroup(StrEnum):
    """The three groups the directive and the school plan set targets for."""

    STAFF = "staff"  # cán bộ, giáo viên, nhân viên
    STUDENTS = "students"
    PARENTS = "parents"  # phụ huynh and other relatives trained by students


class Comparison(StrEnum):
    """How a share is compared with a target percentage."""

    AT_LEAST = "gte"  # "đạt 80% trở lên": share ≥ percent
    MORE_THAN = "gt"  # "trên 90%": share > percent

    def met(self, achieved: int, total: int, percent: int) -> bool | None:
        """Exact integer comparison (no float rounding); None when nobody is counted."""
        if total <= 0:
            return None
        if self is Comparison.AT_LEAST:
            return achieved * 100 >= percent * total
        return achieved * 100 > percent * total

    def needed(self, total: int, percent: int) -> int:
        """The smallest number achieved that meets the target among ``total`` people."""
        if self is Comparison.AT_LEAST:
            return -(-percent * total // 100)  # ceiling
        return percent * total // 100 + 1


class _TargetColumns:
    school_year: Mapped[str] = mapped_column(sa.String(9))
    group: Mapped[TargetGroup] = mapped_column(enum_type(TargetGroup, "target_group"))
    percent: Mapped[int]
    comparison: Mapped[Comparison] = mapped_column(
        enum_type(Comparison, "target_comparison"), default=Comparison.AT_LEAST
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def is_met(self, achieved: int, total: int) -> bool | None:
        return self.comparison.met(achieved, total, self.percent)


class WardTarget(_TargetColumns, db.Model):
    """A ward's target for one group in every school of one level, for one school year."""

    __tablename__ = "ward_targets"
    __table_args__ = (
        sa.UniqueConstraint("ward_id", "school_level", "school_year", "group"),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    school_level: Mapped[SchoolLevel] = mapped_column(enum_type(SchoolLevel, "school_level"))


class SchoolTarget(_TargetColumns, db.Model):
    """A school's own (stricter) target for one group and school year."""

    __tablename__ = "school_targets"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "school_year", "group"),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"), index=True)


class AchievementRules(db.Model):
    """What counts as "achieved" for a student, a staff member and a parent in one school
    year, stored as JSON so it can be changed without a migration. Missing keys fall back
    to the documented defaults (``app/outcomes/rules.py``, docs/reports.md)."""

    __tablename__ = "achievement_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[str] = mapped_column(sa.String(9), unique=True)
    config: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SnapshotScope(StrEnum):
    SCHOOL = "school"
    WARD = "ward"


class SnapshotPeriod(StrEnum):
    WEEK = "week"
    MONTH = "month"


class ReportSnapshot(db.Model):
    """A school's or a ward's report for one week or month, frozen as JSON.

    ``scope_id`` is the school's or the ward's id (no foreign key: it points at either,
    as ``scope`` says). A snapshot taken before its period ended is provisional and is
    replaced by the next one of the same period; once ``final`` it never changes, so last
    month's report reads the same whatever happens to the data later.
    """

    __tablename__ = "report_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("scope", "scope_id", "period", "period_key"),
        sa.Index("ix_report_snapshots_scope_start", "scope", "scope_id", "period", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[SnapshotScope] = mapped_column(enum_type(SnapshotScope, "snapshot_scope"))
    scope_id: Mapped[int]
    period: Mapped[SnapshotPeriod] = mapped_column(enum_type(SnapshotPeriod, "snapshot_period"))
    period_key: Mapped[str] = mapped_column(sa.String(10))  # "2026-W47" or "2026-11"
    period_start: Mapped[date]
    period_end: Mapped[date]  # inclusive
    school_year: Mapped[str] = mapped_column(sa.String(9))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    final: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict] = mapped_column(sa.JSON)


# Indexes the dashboards need on other domains' tables, declared here beside the reports
# that use them (bench/: class dashboard p95 with ~900,000 progress rows per school).
# "Last activity" reads each pupil's newest lesson, quiz and guided-session row from the
# index alone; "relatives trained" and the parents' tasks count confirmed sessions (per
# pupil, per relative) without visiting the table.
sa.Index("ix_lesson_progress_user_updated", LessonProgress.user_id, LessonProgress.updated_at)
sa.Index("ix_quiz_results_user_last_attempt", QuizResult.user_id, QuizResult.last_attempt_at)
sa.Index(
    "ix_guided_sessions_student_activity",
    GuidedSession.student_id,
    GuidedSession.updated_at,
    GuidedSession.status,
    GuidedSession.review_status,
    GuidedSession.relative_id,
)
sa.Index(
    "ix_guided_sessions_relative_review",
    GuidedSession.relative_id,
    GuidedSession.status,
    GuidedSession.review_status,
    GuidedSession.walkthrough_id,
)
