"""What counts as "achieved" for each target group, per school year.

The defaults below are the documented ones (docs/reports.md). A school year's row in
``achievement_rules`` may override any key; what is missing falls back to the default,
so an old row keeps working when a new rule is added.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models.reports import AchievementRules

DEFAULT_RULES: dict = {
    "schema_version": 1,
    "student": {
        # level code → id of the core path in lessons/paths.yaml. Students whose grade
        # maps to a level without a core path (primary grades) are not counted.
        "core_paths": {"TC1": "core-tc1", "TC2": "core-tc2"},
        # confirmed relatives the student must have trained
        "min_relatives": 1,
    },
    "staff": {
        # the staff path completed, or at least this many staff lessons passed
        "path": "core-staff",
        "min_passed_lessons": 4,
    },
    "parent": {
        # confirmed, passed guided sessions for every one of these tasks …
        "all_of_tasks": ["scam-awareness"],
        # … and for at least one of these
        "one_of_tasks": ["vneid-level2", "public-service-portal"],
    },
}


@dataclass(frozen=True)
class Rules:
    core_paths: dict[str, str]
    min_relatives: int
    staff_path: str
    staff_min_passed_lessons: int
    parent_all_of_tasks: tuple[str, ...]
    parent_one_of_tasks: tuple[str, ...]

    @classmethod
    def from_config(cls, config: dict) -> Rules:
        merged = merged_config(config)
        return cls(
            core_paths=dict(merged["student"]["core_paths"]),
            min_relatives=int(merged["student"]["min_relatives"]),
            staff_path=merged["staff"]["path"],
            staff_min_passed_lessons=int(merged["staff"]["min_passed_lessons"]),
            parent_all_of_tasks=tuple(merged["parent"]["all_of_tasks"]),
            parent_one_of_tasks=tuple(merged["parent"]["one_of_tasks"]),
        )

    def tasks_met(self, tasks: set[str]) -> bool:
        """A parent's confirmed tasks satisfy the parent rule."""
        if not set(self.parent_all_of_tasks) <= tasks:
            return False
        return not self.parent_one_of_tasks or bool(tasks & set(self.parent_one_of_tasks))


def merged_config(config: dict | None) -> dict:
    """The defaults with a stored configuration laid over them, section by section."""
    merged = copy.deepcopy(DEFAULT_RULES)
    for section, values in (config or {}).items():
        if isinstance(values, dict) and isinstance(merged.get(section), dict):
            merged[section].update(values)
        else:
            merged[section] = values
    return merged


def rules_for(school_year: str) -> Rules:
    """The rules of this school year (one query)."""
    stored = db.session.scalar(
        sa.select(AchievementRules.config).where(AchievementRules.school_year == school_year)
    )
    return Rules.from_config(stored or {})


def save_rules(school_year: str, config: dict) -> AchievementRules:
    """Store (replace) a school year's overrides; the caller commits."""
    Rules.from_config(config)  # refuse a configuration the reports could not read
    row = db.session.scalar(
        sa.select(AchievementRules).where(AchievementRules.school_year == school_year)
    )
    if row is None:
        row = AchievementRules(school_year=school_year)
        db.session.add(row)
    row.config = copy.deepcopy(config)
    return row
