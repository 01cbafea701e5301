"""Outcomes: who "đạt" (achieved) per school and school year, defined once.

Below the feature packages: it reads models, Vietnam's dates (``app.dates``), the content
registry and the learning rules, and no feature package's routes or services. Every page,
export and snapshot that shows a figure reads it from here (docs/reports.md).
"""

from app.outcomes.counting import (
    BY_GUIDANCE,
    BY_SELF_STUDY,
    ClassOutcome,
    ParentOutcome,
    SchoolOutcome,
    StaffOutcome,
    StudentOutcome,
    add_counts,
    as_of_date,
    class_outcomes,
    class_relatives_trained,
    counts,
    school_classrooms,
    school_outcomes,
    staff_outcomes,
    ward_aggregates,
)
from app.outcomes.rules import Rules, rules_for
from app.outcomes.sessions import COUNTED, counted_sessions, relatives_helped

__all__ = [
    "BY_GUIDANCE",
    "BY_SELF_STUDY",
    "COUNTED",
    "ClassOutcome",
    "ParentOutcome",
    "Rules",
    "SchoolOutcome",
    "StaffOutcome",
    "StudentOutcome",
    "add_counts",
    "as_of_date",
    "class_outcomes",
    "class_relatives_trained",
    "counted_sessions",
    "counts",
    "relatives_helped",
    "rules_for",
    "school_classrooms",
    "school_outcomes",
    "staff_outcomes",
    "ward_aggregates",
]
