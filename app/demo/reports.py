"""Demo targets from the two seed documents, a class that reaches them, and a few past
weekly reports.

Targets: the ward directive for 2025–2026 (staff ≥ 80%, THCS students 100%, parents
≥ 80%) and Trường THCS Dương Quan's plan (2025: ≥ 90% / ≥ 90% / ≥ 70%; by 2030: 100% /
100% / > 90%). Class 9A1 (left alone by the progress demo) gets three students who
finished the grade 8–9 core path and trained a relative in scams and VNeID, and two staff
members finish their lessons, so every group has someone "achieved". The past weekly
snapshots are made up — today's figures scaled down week by week — so the trend chart
has a line to draw on a fresh install. Rows are found by natural keys: running the
loader twice changes nothing.
"""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.content import get_content
from app.extensions import db
from app.models import School, SchoolLevel, User, Ward
from app.models.org import school_year_for
from app.models.reports import (
    Comparison,
    ReportSnapshot,
    SchoolTarget,
    SnapshotPeriod,
    SnapshotScope,
    TargetGroup,
    WardTarget,
)
from app.reports.school_report import build_school_report, build_ward_report, figure
from app.reports.snapshots import local_today, period_of
from app.reports.targets import Target

DIRECTIVE_YEAR = "2025-2026"
WARD_TARGETS = {
    # level → group → (percent, comparison); no numeric student target below THCS
    SchoolLevel.LOWER_SECONDARY: {
        TargetGroup.STAFF: (80, Comparison.AT_LEAST),
        TargetGroup.STUDENTS: (100, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (80, Comparison.AT_LEAST),
    },
    SchoolLevel.PRIMARY_AND_LOWER_SECONDARY: {
        TargetGroup.STAFF: (80, Comparison.AT_LEAST),
        TargetGroup.STUDENTS: (100, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (80, Comparison.AT_LEAST),
    },
    SchoolLevel.PRIMARY: {
        TargetGroup.STAFF: (80, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (80, Comparison.AT_LEAST),
    },
    SchoolLevel.PRESCHOOL: {
        TargetGroup.STAFF: (80, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (80, Comparison.AT_LEAST),
    },
}
SCHOOL_TARGETS = {
    "2025-2026": {  # "Mục tiêu cụ thể năm 2025"
        TargetGroup.STAFF: (90, Comparison.AT_LEAST),
        TargetGroup.STUDENTS: (90, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (70, Comparison.AT_LEAST),
    },
    "2030-2031": {  # "Mục tiêu đến năm 2030"
        TargetGroup.STAFF: (100, Comparison.AT_LEAST),
        TargetGroup.STUDENTS: (100, Comparison.AT_LEAST),
        TargetGroup.PARENTS: (90, Comparison.MORE_THAN),
    },
}
PAST_WEEKS = 6
# 9A1 pupils who finished the core path and trained a relative (name, birth year, relation)
ACHIEVERS = [
    ("dq-9a1-01", "Vũ Thị Nga", 1955, "bà ngoại"),
    ("dq-9a1-02", "Đặng Văn Lộc", 1958, "ông nội"),
    ("dq-9a1-03", "Ngô Thị Huệ", 1975, "mẹ"),
]
WALKTHROUGHS = ["nt-nhan-biet-lua-dao", "nt-vneid-muc-2"]  # the default parent rule
STAFF_DONE = {"dq-nhan-vien": 6, "dq-gv-7a1": 4}  # staff lessons passed


def load(context: dict) -> None:
    ward: Ward | None = context.get("ward")
    school: School | None = context.get("school")
    if ward is None or school is None:
        return
    for level, groups in WARD_TARGETS.items():
        for group, (percent, comparison) in groups.items():
            _target(WardTarget, dict(ward_id=ward.id, school_level=level,
                                     school_year=DIRECTIVE_YEAR, group=group),
                    percent, comparison)  # fmt: skip
    for year, groups in SCHOOL_TARGETS.items():
        for group, (percent, comparison) in groups.items():
            _target(SchoolTarget, dict(school_id=school.id, school_year=year, group=group),
                    percent, comparison)  # fmt: skip
    db.session.flush()
    _achievers(school)
    db.session.flush()
    _past_weeks(school, ward)


def _achievers(school: School) -> None:
    """Reuses the progress and guided demos' helpers, which go through the real services."""
    from app.demo import guided as guided_demo
    from app.demo import progress as progress_demo

    content = get_content()
    core = content.path_lessons("core-tc2")
    reviewer = _user("dq-gv-9a1")
    for days_ago, (username, name, year, relation) in enumerate(ACHIEVERS, start=3):
        student = _user(username)
        if student is None or reviewer is None or not core:
            return
        progress_demo._progress(student, core, len(core), 0, 0, content)
        relative = guided_demo._relative(school.id, full_name=name, birth_year=year, phone=None)
        guided_demo._link(student, relative, relation, days_ago=days_ago + 7)
        for offset, walkthrough in enumerate(WALKTHROUGHS):
            guided_demo._session(student, relative, walkthrough, days_ago=days_ago + offset,
                                 reviewer=reviewer)  # fmt: skip
    staff_lessons = content.lessons_for(audience="staff")
    for username, count in STAFF_DONE.items():
        member = _user(username)
        if member is not None:
            progress_demo._progress(member, staff_lessons, count, 0, 0, content)


def _user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _target(model, keys: dict, percent: int, comparison: Comparison) -> None:
    if db.session.scalar(sa.select(model).filter_by(**keys)) is None:
        db.session.add(model(**keys, percent=percent, comparison=comparison))


def _past_weeks(school: School, ward: Ward) -> None:
    """Weekly snapshots for the weeks before this one, each showing a little less."""
    content = get_content()
    today = local_today()
    live = {}
    for weeks_ago in range(PAST_WEEKS, 0, -1):
        period = period_of(SnapshotPeriod.WEEK, today - timedelta(weeks=weeks_ago))
        taken = datetime.combine(period.end + timedelta(days=1), time(0, 5)) - timedelta(hours=7)
        share = (PAST_WEEKS + 1 - weeks_ago) / (PAST_WEEKS + 1)
        for scope, target in ((SnapshotScope.SCHOOL, school), (SnapshotScope.WARD, ward)):
            exists = db.session.scalar(
                sa.select(ReportSnapshot.id).filter_by(
                    scope=scope, scope_id=target.id, period=period.kind, period_key=period.key
                )
            )
            if exists is not None:
                continue
            if scope not in live:
                build = build_school_report if scope is SnapshotScope.SCHOOL else build_ward_report
                live[scope] = build(target, school_year_for(period.end), content)
            data = _scaled(live[scope], share, taken)
            db.session.add(
                ReportSnapshot(scope=scope, scope_id=target.id, period=period.kind,
                               period_key=period.key, period_start=period.start,
                               period_end=period.end, school_year=data["school_year"],
                               taken_at=taken, final=True, data=data)
            )  # fmt: skip


def _scaled(report: dict, share: float, taken: datetime) -> dict:
    """The report with every "achieved" count scaled by ``share`` (targets re-checked)."""
    data = copy.deepcopy(report)
    data["generated_at"] = taken.isoformat(timespec="seconds")

    def scale(f: dict) -> dict:
        return figure(
            TargetGroup(f["group"]),
            round(f["achieved"] * share),
            f["total"],
            Target.from_json(f["ward_target"]),
            Target.from_json(f["school_target"]),
        )

    if data["kind"] == "school":
        school = data["school"]
        school["groups"] = [scale(f) for f in school["groups"]]
        for row in school["classes"]:
            row["students"], row["parents"] = scale(row["students"]), scale(row["parents"])
    else:
        data["total"] = [scale(f) for f in data["total"]]
        for row in data["schools"]:
            row["groups"] = [scale(f) for f in row["groups"]]
    return data
