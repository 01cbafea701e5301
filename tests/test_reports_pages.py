"""School dashboard, ward page and periodic reports, as the principal and the ward see them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.reports import ReportSnapshot, SnapshotScope
from tests import factories
from tests.test_reports_fixtures import build_world

PEOPLE = [
    "Trần Minh An", "Lê Văn Bình", "Phạm Ngọc Chi", "Hoàng Đức Dũng", "Bùi Thu Giang",
    "Đặng Thu Hà", "Đỗ Gia Huy", "Nguyễn Thị Tư", "Lê Văn Sáu", "Phạm Thị Bảy", "Bùi Văn Tám",
    "Trần Thị Mai", "Vũ Thị Lan", "Ngô Minh", "Đỗ Văn Tâm", "Phạm Hải", "Lê Bình", "Lê Hoa",
]  # fmt: skip


@pytest.fixture
def world(app):
    return build_world()


def test_school_dashboard_shows_each_group_against_both_targets(client, auth, world):
    auth.login("bgh-a")
    html = client.get("/school/").get_data(as_text=True)
    assert "Trường THCS Dương Quan" in html
    # staff 2/4 = 50%: meets the ward's ≥ 50%, not the school's > 50%
    assert "2/4 đạt" in html and "≥ 50%" in html and "&gt; 50%" in html
    assert "2/6 đạt" in html and "33,3%" in html  # students
    assert "2/5 đạt" in html and "40%" in html  # parents
    assert "cần thêm 4" in html  # students: 6 of 6 needed for 100%
    assert 'class="chart"' in html and "<svg" in html  # the trend, drawn on the server
    assert "Thi đua giữa các lớp" in html
    for name in ("Trần Minh An", "Nguyễn Thị Tư"):
        assert name not in html  # the school dashboard counts people, it does not list them


def test_ward_page_shows_schools_and_total_but_no_one_by_name(client, auth, world):
    auth.login("phuong-khoa")
    for url in ("/ward/", "/reports/ward", "/reports/ward/export.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        for person in PEOPLE:
            assert person not in text, (url, person)
    html = client.get("/ward/").get_data(as_text=True)
    assert "Trường THCS Dương Quan" in html and "Trường THCS Hoa Động" in html
    assert "Toàn phường" in html
    assert "6A1" not in html and "8A1" not in html  # not even class names


def test_ward_snapshot_holds_no_names(app, runner, world):
    assert runner.invoke(args=["reports", "snapshot", "--period", "month"]).exit_code == 0
    ward_snapshot = db.session.scalar(
        db.select(ReportSnapshot).where(ReportSnapshot.scope == SnapshotScope.WARD)
    )
    stored = str(ward_snapshot.data)
    assert all(person not in stored for person in PEOPLE)


@pytest.mark.parametrize(
    ("username", "allowed", "forbidden"),
    [
        ("gv-lan", [], ["/school/", "/ward/", "/reports/school", "/reports/ward"]),
        ("bgh-a", ["/school/", "/school/targets", "/reports/school"], ["/ward/", "/reports/ward"]),
        ("phuong-khoa", ["/ward/", "/ward/targets", "/reports/ward"],
         ["/school/", "/reports/school", "/school/targets"]),
    ],
    ids=["teacher", "school-admin", "ward-officer"],
)  # fmt: skip
def test_each_role_reaches_only_its_report_pages(client, auth, world, username, allowed, forbidden):
    auth.login(username)
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in forbidden:
        assert client.get(url).status_code == 403, url


def test_snapshots_are_visible_only_to_their_school_or_ward(client, auth, runner, world):
    runner.invoke(args=["reports", "snapshot", "--period", "week"])
    mine = db.session.scalar(
        db.select(ReportSnapshot).where(
            ReportSnapshot.scope == SnapshotScope.SCHOOL, ReportSnapshot.scope_id == world.school.id
        )
    )
    other = db.session.scalar(
        db.select(ReportSnapshot).where(
            ReportSnapshot.scope == SnapshotScope.SCHOOL,
            ReportSnapshot.scope_id == world.other_school.id,
        )
    )
    ward = db.session.scalar(
        db.select(ReportSnapshot).where(ReportSnapshot.scope == SnapshotScope.WARD)
    )
    auth.login("bgh-a")
    assert client.get(f"/reports/{mine.id}").status_code == 200
    assert client.get(f"/reports/{mine.id}/export.xlsx").status_code == 200
    assert client.get(f"/reports/{other.id}").status_code == 403
    assert client.get(f"/reports/{other.id}/export.csv").status_code == 403
    assert client.get(f"/reports/{ward.id}").status_code == 403
    assert client.get("/reports/999999").status_code == 404
    assert client.get(f"/reports/{mine.id}/export.pdf").status_code == 404
    auth.logout()
    auth.login("phuong-khoa")
    assert client.get(f"/reports/{ward.id}").status_code == 200
    assert client.get(f"/reports/{mine.id}").status_code == 403


def test_school_admin_takes_a_report_on_demand(client, auth, world):
    auth.login("bgh-a")
    response = client.post("/reports/school/snapshot", data={"period": "week"})
    assert response.status_code == 302
    snapshot = db.session.scalar(db.select(ReportSnapshot))
    assert snapshot.scope == SnapshotScope.SCHOOL and snapshot.scope_id == world.school.id
    assert snapshot.taken_by_id == world.school_admin.id
    assert not snapshot.final  # the week is still running
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Báo cáo tạm" in page
    listing = client.get("/reports/school").get_data(as_text=True)
    assert re.search(r"Tuần \d\d/\d\d – \d\d/\d\d/\d{4}", listing)
    bad = client.post("/reports/school/snapshot", data={"period": "year"}, follow_redirects=True)
    assert "hãy chọn tuần hoặc tháng" in bad.get_data(as_text=True)


def _queries(client, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.expire_all()  # as in production, where each request starts afresh
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("url", ["/school/", "/ward/"])
def test_school_and_ward_pages_cost_the_same_queries_with_more_classes(client, auth, world, url):
    auth.login("bgh-a" if url == "/school/" else "phuong-khoa")
    client.get(url)
    before = _queries(client, url)
    for n in range(4):  # four more classes of five pupils, each with a teacher
        teacher = factories.user(factories.Role.TEACHER, world.school)
        classroom = factories.classroom(world.school, teacher, name=f"7A{n}", grade=7,
                                        school_year=world.year)  # fmt: skip
        for _ in range(5):
            factories.enrol(factories.user(factories.Role.STUDENT, world.school), classroom)
    assert _queries(client, url) == before
