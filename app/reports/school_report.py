"""The school report and the ward report: one function each, returning plain JSON data.

The same dictionary is rendered by the dashboard page, written to .xlsx and .csv, and
frozen in a weekly or monthly snapshot, so the three can never disagree. It holds
counts and class names only: no student, parent or staff member is named in it.

Class ranking (thi đua), documented in docs/reports.md: for each class with students,

    score = 100 × (0.5 × A + 0.3 × min(1, R) + 0.2 × C)

A = share of the class's counted students who achieved; R = distinct relatives trained
(confirmed sessions only) per student; C = the students' average share of the
competences achievable at their level. Every term is divided by the class size, so a
class of 30 and a class of 45 compete on equal terms.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app import dates
from app.content.registry import ContentRegistry
from app.extensions import db
from app.models import School, Ward
from app.models.reports import TargetGroup
from app.outcomes import (
    BY_GUIDANCE,
    BY_SELF_STUDY,
    ClassOutcome,
    ParentOutcome,
    SchoolOutcome,
    as_of_date,
    school_outcomes,
)
from app.reports.targets import Target, school_targets_in_force, ward_targets_in_force

SCHEMA_VERSION = 2  # 2: parents achieved by guidance / by self-study
WEIGHT_ACHIEVED, WEIGHT_RELATIVES, WEIGHT_COMPETENCES = 0.5, 0.3, 0.2


def figure(
    group: TargetGroup, achieved: int, total: int, ward: Target | None, school: Target | None
) -> dict:
    """One group's count against both targets, as stored in reports."""
    return {
        "group": group.value,
        "achieved": achieved,
        "total": total,
        "ward_target": ward.to_json() if ward else None,
        "ward_met": ward.met(achieved, total) if ward else None,
        "ward_needed": max(0, ward.needed(total) - achieved) if ward and total else None,
        "school_target": school.to_json() if school else None,
        "school_met": school.met(achieved, total) if school else None,
        "school_needed": max(0, school.needed(total) - achieved) if school and total else None,
    }


def _class_rows(classes: list[ClassOutcome], targets: dict) -> list[dict]:
    rows = []
    for c in classes:
        size = c.size
        counted = c.counted
        relatives = len(c.relatives_trained)
        share_achieved = c.achieved / len(counted) if counted else 0.0
        per_student = relatives / size if size else 0.0
        competence = sum(s.competence_share for s in c.students) / size if size else 0.0
        score = 100 * (
            WEIGHT_ACHIEVED * share_achieved
            + WEIGHT_RELATIVES * min(1.0, per_student)
            + WEIGHT_COMPETENCES * competence
        )
        rows.append(
            {
                "id": c.id,
                "name": c.name,
                "grade": c.grade,
                "size": size,
                "students": figure(
                    TargetGroup.STUDENTS,
                    c.achieved,
                    len(counted),
                    targets.get(("ward", TargetGroup.STUDENTS)),
                    targets.get(("school", TargetGroup.STUDENTS)),
                ),
                "parents": _parents_figure(c.parents, targets),
                "relatives_trained": relatives,
                "relatives_per_student": round(per_student, 4),
                "competence_share": round(competence, 4),
                "score": round(score, 1) if size else None,
            }
        )
    _rank(rows)
    return rows


def _parents_figure(parents: list[ParentOutcome], targets: dict) -> dict:
    """The parents' figure, with how many achieved by each way."""
    result = figure(
        TargetGroup.PARENTS,
        sum(1 for p in parents if p.achieved),
        len(parents),
        targets.get(("ward", TargetGroup.PARENTS)),
        targets.get(("school", TargetGroup.PARENTS)),
    )
    result["by_guidance"] = sum(1 for p in parents if p.way == BY_GUIDANCE)
    result["by_self_study"] = sum(1 for p in parents if p.way == BY_SELF_STUDY)
    return result


def _rank(rows: list[dict]) -> None:
    """Competition ranking (1, 1, 3) by score; classes without students are not ranked."""
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: -r["score"])
    for index, row in enumerate(ranked):
        same = index and ranked[index - 1]["score"] == row["score"]
        row["rank"] = ranked[index - 1]["rank"] if same else index + 1
    for row in rows:
        row.setdefault("rank", None)


def _targets_for(school: School, ward_targets: dict, school_targets: dict) -> dict:
    targets = {}
    for group in TargetGroup:
        targets[("ward", group)] = ward_targets.get((school.level, group))
        targets[("school", group)] = school_targets.get((school.id, group))
    return targets


def _school_figures(
    school: School, outcome: SchoolOutcome, targets: dict, with_classes: bool
) -> dict:
    students = [s for s in outcome.students if s.counted]
    groups = [
        figure(
            TargetGroup.STAFF,
            sum(1 for s in outcome.staff if s.achieved),
            len(outcome.staff),
            targets[("ward", TargetGroup.STAFF)],
            targets[("school", TargetGroup.STAFF)],
        ),
        figure(
            TargetGroup.STUDENTS,
            sum(1 for s in students if s.achieved),
            len(students),
            targets[("ward", TargetGroup.STUDENTS)],
            targets[("school", TargetGroup.STUDENTS)],
        ),
        _parents_figure(outcome.parents, targets),
    ]
    result = {
        "id": school.id,
        "name": school.name,
        "level": school.level.value,
        "groups": groups,
        "relatives_trained": outcome.relatives_trained,
    }
    if with_classes:
        result["classes"] = _class_rows(outcome.classes, targets)
    return result


def build_school_report(
    school: School, school_year: str, content: ContentRegistry, now: datetime | None = None
) -> dict:
    """The school's figures for each group, per class, and the class ranking."""
    now = now or dates.utcnow()
    ward_targets = ward_targets_in_force(school.ward_id, school_year, [school.level])
    school_targets = school_targets_in_force([school.id], school_year)
    targets = _targets_for(school, ward_targets, school_targets)
    outcome = school_outcomes([school.id], school_year, content, as_of_date(now))[school.id]
    figures = _school_figures(school, outcome, targets, with_classes=True)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "school",
        "school_year": school_year,
        "generated_at": now.isoformat(timespec="seconds"),
        "ward": {"id": school.ward_id, "name": school.ward.name},
        "school": figures,
    }


def build_ward_report(
    ward: Ward, school_year: str, content: ContentRegistry, now: datetime | None = None
) -> dict:
    """Each school's figures against its targets and the ward's total; counts only.

    Costs a fixed number of queries per school (never per person).
    """
    now = now or dates.utcnow()
    schools = list(
        db.session.scalars(sa.select(School).where(School.ward_id == ward.id).order_by(School.name))
    )
    ward_targets = ward_targets_in_force(ward.id, school_year)
    school_targets = school_targets_in_force([s.id for s in schools], school_year)
    outcomes = school_outcomes([s.id for s in schools], school_year, content, as_of_date(now))
    rows = []
    for school in schools:
        targets = _targets_for(school, ward_targets, school_targets)
        rows.append(_school_figures(school, outcomes[school.id], targets, with_classes=False))
    totals = []
    for index, group in enumerate(TargetGroup):
        achieved = sum(r["groups"][index]["achieved"] for r in rows)
        total = sum(r["groups"][index]["total"] for r in rows)
        in_force = {ward_targets.get((s.level, group)) for s in schools}
        # The ward total is compared with the ward's target only when every school has
        # the same one; otherwise each school's own line says it.
        common = in_force.pop() if len(in_force) == 1 else None
        line = figure(group, achieved, total, common, None)
        if group is TargetGroup.PARENTS:
            for key in ("by_guidance", "by_self_study"):
                line[key] = sum(r["groups"][index][key] for r in rows)
        totals.append(line)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "ward",
        "school_year": school_year,
        "generated_at": now.isoformat(timespec="seconds"),
        "ward": {"id": ward.id, "name": ward.name},
        "schools": rows,
        "total": totals,
    }
