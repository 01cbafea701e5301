"""Targets: reading the one in force for a school year, and setting them.

A target set for a school year stays in force in the following years until a newer one
is set (a directive for 2025–2026 still guides 2026–2027 until the ward issues the next),
and the dashboards say which year's target they show. A school's own target is meant to
be stricter than its ward's; one below it is saved with a warning, because the ward's
target still applies (dashboards judge the school against both) and the seed plan itself
sets 90% of students and 70% of parents for 2025 against the directive's 100% and 80%.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import School, SchoolLevel, User
from app.models.base import utcnow
from app.models.reports import Comparison, SchoolTarget, TargetGroup, WardTarget

SYMBOLS = {Comparison.AT_LEAST: "≥", Comparison.MORE_THAN: ">"}
GROUP_LABELS = {
    TargetGroup.STAFF: _l("Cán bộ, giáo viên, nhân viên"),
    TargetGroup.STUDENTS: _l("Học sinh"),
    TargetGroup.PARENTS: _l("Phụ huynh, người thân"),
}
LEVEL_LABELS = {
    SchoolLevel.PRESCHOOL: _l("Mầm non"),
    SchoolLevel.PRIMARY: _l("Tiểu học"),
    SchoolLevel.LOWER_SECONDARY: _l("THCS"),
    SchoolLevel.PRIMARY_AND_LOWER_SECONDARY: _l("TH&THCS"),
}


class TargetError(Exception):
    """A target that cannot be saved; ``message`` says why, for the form."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """A target as reports carry it (and freeze it in snapshots)."""

    percent: int
    comparison: Comparison
    school_year: str  # the year it was set for (may be earlier than the report's)

    @property
    def label(self) -> str:
        return f"{SYMBOLS[self.comparison]} {self.percent}%"

    def met(self, achieved: int, total: int) -> bool | None:
        return self.comparison.met(achieved, total, self.percent)

    def needed(self, total: int) -> int:
        return self.comparison.needed(total, self.percent)

    def strictness(self) -> tuple[int, int]:
        """Orders targets by how hard they are: ≥ 90% < > 90% < ≥ 91%."""
        return self.percent, 1 if self.comparison is Comparison.MORE_THAN else 0

    def to_json(self) -> dict:
        return {
            "percent": self.percent,
            "comparison": self.comparison.value,
            "school_year": self.school_year,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Target | None:
        if not data:
            return None
        return cls(data["percent"], Comparison(data["comparison"]), data["school_year"])

    @classmethod
    def of(cls, row: WardTarget | SchoolTarget) -> Target:
        return cls(row.percent, row.comparison, row.school_year)


def check_target(percent: int, comparison: Comparison) -> None:
    if not 0 <= percent <= 100:
        raise TargetError(_l("Chỉ tiêu là một số phần trăm từ 0 đến 100."))
    if comparison is Comparison.MORE_THAN and percent >= 100:
        raise TargetError(_l("Không thể đặt chỉ tiêu “trên 100%”: hãy chọn “từ 100%”."))


def ward_targets_in_force(
    ward_id: int, school_year: str, levels: Iterable[SchoolLevel] | None = None
) -> dict[tuple[SchoolLevel, TargetGroup], Target]:
    """Per (level, group): the ward's latest target set for this year or an earlier one."""
    query = sa.select(WardTarget).where(
        WardTarget.ward_id == ward_id, WardTarget.school_year <= school_year
    )
    if levels is not None:
        query = query.where(WardTarget.school_level.in_(list(levels)))
    found: dict[tuple[SchoolLevel, TargetGroup], Target] = {}
    for row in db.session.scalars(query.order_by(WardTarget.school_year)):
        found[(row.school_level, row.group)] = Target.of(row)
    return found


def school_targets_in_force(
    school_ids: Iterable[int], school_year: str
) -> dict[tuple[int, TargetGroup], Target]:
    """Per (school, group): the school's latest own target for this year or an earlier one."""
    ids = list(school_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(SchoolTarget)
        .where(SchoolTarget.school_id.in_(ids), SchoolTarget.school_year <= school_year)
        .order_by(SchoolTarget.school_year)
    )
    return {(row.school_id, row.group): Target.of(row) for row in rows}


def ward_targets_set_for(
    ward_id: int, school_year: str
) -> dict[tuple[SchoolLevel, TargetGroup], WardTarget]:
    """The rows set for exactly this year (what the ward's form edits)."""
    rows = db.session.scalars(
        sa.select(WardTarget).where(
            WardTarget.ward_id == ward_id, WardTarget.school_year == school_year
        )
    )
    return {(row.school_level, row.group): row for row in rows}


def school_targets_set_for(school_id: int, school_year: str) -> dict[TargetGroup, SchoolTarget]:
    rows = db.session.scalars(
        sa.select(SchoolTarget).where(
            SchoolTarget.school_id == school_id, SchoolTarget.school_year == school_year
        )
    )
    return {row.group: row for row in rows}


def weaker_than_ward(
    school: School, school_year: str, group: TargetGroup, percent: int, comparison: Comparison
) -> Target | None:
    """The ward's target this one would undercut, or None when it is at least as strict."""
    ward = ward_targets_in_force(school.ward_id, school_year, [school.level]).get(
        (school.level, group)
    )
    if ward is None:
        return None
    mine = Target(percent, comparison, school_year)
    return ward if mine.strictness() < ward.strictness() else None


TargetValues = dict[TargetGroup, tuple[int, Comparison] | None]


def set_ward_targets(
    ward_id: int, level: SchoolLevel, school_year: str, values: TargetValues, by: User
) -> None:
    """Store the ward's targets for one level and year; None removes a group's target."""
    existing = ward_targets_set_for(ward_id, school_year)
    for group, value in values.items():
        row = existing.get((level, group))
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        check_target(*value)
        if row is None:
            row = WardTarget(
                ward_id=ward_id, school_level=level, school_year=school_year, group=group
            )
            db.session.add(row)
        row.percent, row.comparison = value
        row.updated_by_id, row.updated_at = by.id, utcnow()
    db.session.commit()


def laxer_than_ward(school: School, school_year: str, values: TargetValues) -> list[str]:
    """Warnings for the school's targets below its ward's: saved all the same (the seed
    plan's 2025 targets for students and parents are below the directive's), since the
    dashboards always judge the school against both."""
    warnings = []
    for group, value in values.items():
        if value is None:
            continue
        ward = weaker_than_ward(school, school_year, group, *value)
        if ward is not None:
            warnings.append(
                str(
                    _l(
                        "%(group)s: chỉ tiêu của trường thấp hơn chỉ tiêu của phường (%(ward)s). "
                        "Nhà trường vẫn được đánh giá theo cả hai chỉ tiêu.",
                        group=GROUP_LABELS[group],
                        ward=ward.label,
                    )
                )
            )
    return warnings


def set_school_targets(
    school: School, school_year: str, values: TargetValues, by: User
) -> list[str]:
    """Store a school's own targets for a year; returns warnings for any below the ward's."""
    for value in values.values():
        if value is not None:
            check_target(*value)
    existing = school_targets_set_for(school.id, school_year)
    for group, value in values.items():
        row = existing.get(group)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = SchoolTarget(school_id=school.id, school_year=school_year, group=group)
            db.session.add(row)
        row.percent, row.comparison = value
        row.updated_by_id, row.updated_at = by.id, utcnow()
    db.session.commit()
    return laxer_than_ward(school, school_year, values)
