"""Weekly and monthly reports are frozen: last month's report never changes afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.content import get_content
from app.extensions import db
from app.models import GuidedSession, ReviewStatus
from app.models.reports import ReportSnapshot, SnapshotPeriod, SnapshotScope
from app.reports.snapshots import Outcome, period_of, take_snapshot
from tests.test_reports_fixtures import build_world, complete_level


@pytest.fixture
def world(app):
    return build_world()


def _school_snapshot(world, key: str | None = None) -> ReportSnapshot:
    query = db.select(ReportSnapshot).where(
        ReportSnapshot.scope == SnapshotScope.SCHOOL, ReportSnapshot.scope_id == world.school.id
    )
    if key:
        query = query.where(ReportSnapshot.period_key == key)
    return db.session.scalar(query)


def _students(snapshot: ReportSnapshot) -> tuple[int, int]:
    figure = snapshot.data["school"]["groups"][1]
    return figure["achieved"], figure["total"]


def _improve(world) -> None:
    """Bình's pending relative gets confirmed: students 2/6 → 3/6."""
    session = db.session.scalar(
        db.select(GuidedSession).where(GuidedSession.relative_id == world.relatives["R2"].id)
    )
    session.review_status = ReviewStatus.CONFIRMED
    db.session.commit()


def test_periods():
    week = period_of(SnapshotPeriod.WEEK, date(2026, 11, 25))  # a Wednesday
    assert (week.key, week.start, week.end) == ("2026-W48", date(2026, 11, 23), date(2026, 11, 29))
    month = period_of(SnapshotPeriod.MONTH, date(2026, 2, 10))
    assert (month.key, month.start, month.end) == ("2026-02", date(2026, 2, 1), date(2026, 2, 28))
    new_year = period_of(SnapshotPeriod.WEEK, date(2027, 1, 1))
    assert new_year.key == "2026-W53"


def test_last_months_report_never_changes(client, auth, runner, world):
    last_month = (date.today().replace(day=1) - timedelta(days=1)).isoformat()
    result = runner.invoke(args=["reports", "snapshot", "--period", "month", "--date", last_month])
    assert result.exit_code == 0, result.output
    assert "đã lập [chốt]" in result.output
    snapshot = _school_snapshot(world)
    assert snapshot.final and _students(snapshot) == (2, 6)
    frozen = dict(snapshot.data)

    _improve(world)
    complete_level(world.students["hs-ha"], "TC2")
    result = runner.invoke(args=["reports", "snapshot", "--period", "month", "--date", last_month])
    assert "đã chốt, giữ nguyên" in result.output
    db.session.expire_all()
    assert _school_snapshot(world).data == frozen

    auth.login("bgh-a")
    page = client.get(f"/reports/{snapshot.id}").get_data(as_text=True)
    assert "33,3%" in page  # 2/6, as it was
    export = client.get(f"/reports/{snapshot.id}/export.csv").get_data(as_text=True)
    students_line = next(line for line in export.splitlines() if line.startswith("Học sinh,"))
    assert students_line.startswith('Học sinh,2,6,"33,3%"')
    live = client.get("/school/").get_data(as_text=True)
    assert "3/6 đạt" in live  # today's dashboard moved on


def test_a_running_period_is_provisional_then_replaced_then_final(app, world):
    content = get_content()
    period = period_of(SnapshotPeriod.WEEK, date(2026, 11, 25))
    during = datetime(2026, 11, 25, 3, 0)  # Wednesday 10:00 in Hà Nội
    snapshot, outcome = take_snapshot(world.school, period, content, now=during)
    db.session.commit()
    assert outcome is Outcome.CREATED and not snapshot.final and _students(snapshot) == (2, 6)

    _improve(world)
    snapshot, outcome = take_snapshot(world.school, period, content, now=during)
    db.session.commit()
    assert outcome is Outcome.REPLACED and _students(snapshot) == (3, 6)

    # Sunday 23:30 in Hà Nội is still the same week; Monday 00:05 there closes it,
    # although it is still Sunday in UTC.
    sunday_night = datetime(2026, 11, 29, 16, 30)
    snapshot, _ = take_snapshot(world.school, period, content, now=sunday_night)
    assert not snapshot.final
    monday = datetime(2026, 11, 29, 17, 5)
    snapshot, outcome = take_snapshot(world.school, period, content, now=monday)
    db.session.commit()
    assert outcome is Outcome.REPLACED and snapshot.final

    complete_level(world.students["hs-ha"], "TC2")
    later = datetime(2026, 12, 2, 3, 0)
    snapshot, outcome = take_snapshot(world.school, period, content, now=later)
    assert outcome is Outcome.KEPT and _students(snapshot) == (3, 6)
    assert snapshot.taken_at == monday


def test_cli_snapshots_every_school_and_ward(runner, world):
    result = runner.invoke(args=["reports", "snapshot"])
    assert result.exit_code == 0, result.output
    scopes = db.session.execute(db.select(ReportSnapshot.scope, ReportSnapshot.period)).all()
    assert sorted(scopes) == sorted(
        [(SnapshotScope.SCHOOL, SnapshotPeriod.WEEK)] * 2
        + [(SnapshotScope.WARD, SnapshotPeriod.WEEK)]
    )
    bad = runner.invoke(args=["reports", "snapshot", "--date", "23/11/2026"])
    assert bad.exit_code != 0 and "%Y-%m-%d" in bad.output


def test_trend_chart_uses_the_weekly_snapshots(client, auth, app, world):
    content = get_content()
    monday = date.today() - timedelta(days=date.today().weekday())
    for weeks_ago in (3, 2, 1):
        day = monday - timedelta(weeks=weeks_ago)
        take_snapshot(world.school, period_of(SnapshotPeriod.WEEK, day), content)
    db.session.commit()
    auth.login("bgh-a")
    html = client.get("/school/").get_data(as_text=True)
    chart = html.split('id="xu-huong-students-desc">')[1].split("</desc>")[0]
    labels = [f"{monday - timedelta(weeks=w):%d/%m}" for w in (3, 2, 1)]
    assert [part.split(":")[0] for part in chart.split("; ")] == [*labels, "Nay"]
    assert chart.count("33,3%") == 4
