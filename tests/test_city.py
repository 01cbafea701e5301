"""The city officer (Sở GD&ĐT): its wards side by side against their targets, each ward's
schools, counts only, with the same exports; never another province's wards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, Ward
from tests import factories
from tests.test_reports_exports import _csv_tables, _page_tables, _xlsx_tables
from tests.test_reports_fixtures import build_world
from tests.test_reports_pages import PEOPLE


@pytest.fixture
def city(app):
    world = build_world()
    province = factories.province("Hải Phòng")
    ward = db.session.scalar(sa.select(Ward).where(Ward.name == "Phường Thủy Nguyên"))
    ward.province_id = province.id
    db.session.commit()
    second = factories.ward("Phường Lưu Kiếm", province_obj=province)
    factories.school(second, name="Trường THCS Lưu Kiếm")
    far = factories.ward("Phường Hạ Long", province_obj=factories.province("Quảng Ninh"))
    factories.school(far, name="Trường THCS Hạ Long")
    factories.user(Role.CITY_OFFICER, province_id=province.id, username="so-hp")
    return world


def _row(table: list[list[str]], first: str) -> list[str]:
    return next(row for row in table if row and row[0] == first)


def test_wards_side_by_side_with_the_same_figures_as_the_ward_page(client, auth, city):
    auth.login("phuong-khoa")
    ward_tables = _page_tables(client.get("/ward/").get_data(as_text=True))
    ward_total = ward_tables[0]  # "Toàn phường": group, achieved, total, share, target, met
    auth.logout()

    auth.login("so-hp")
    response = client.get("/city/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Phường Thủy Nguyên" in html and "Phường Lưu Kiếm" in html
    assert "Phường Hạ Long" not in html and "Trường THCS Hạ Long" not in html
    tables = _page_tables(html)
    # one table per group, a row per ward: the same counts, share, target and verdict
    for index, group_row in enumerate(ward_total[1:]):
        city_row = _row(tables[index], "Phường Thủy Nguyên")
        assert city_row[2:] == group_row[1:], (index, city_row, group_row)
        assert _row(tables[index], "Phường Lưu Kiếm")[1] == "1"  # one school
    # each ward's schools: per school and group, the ward page's figures and verdicts
    assert "Các trường — Phường Thủy Nguyên" in html
    schools = next(t for t in tables[3:] if t[1][0] == "Trường THCS Dương Quan")
    for index, ward_group_table in enumerate(ward_tables[1:4]):
        for ward_row in ward_group_table[1:]:
            group = ward_total[index + 1][0]
            city_row = next(r for r in schools if r[0] == ward_row[0] and r[1] == group)
            assert city_row[2:] == ward_row[1:6], (city_row, ward_row)
    assert {r[0] for r in schools[1:]} == {"Trường THCS Dương Quan", "Trường THCS Hoa Động"}


def test_no_one_is_named_on_the_page_or_in_the_exports(client, auth, city):
    auth.login("so-hp")
    for url in ("/city/", "/city/export.csv"):
        text = client.get(url).get_data(as_text=True)
        for person in PEOPLE:
            assert person not in text, (url, person)
        assert "6A1" not in text


def test_exports_hold_exactly_the_page_tables(client, auth, city):
    auth.login("so-hp")
    on_page = _page_tables(client.get("/city/").get_data(as_text=True))
    assert len(on_page) == 5  # three groups by ward, then two wards' schools
    csv_response = client.get("/city/export.csv")
    assert csv_response.headers["Cache-Control"] == "private, no-store"
    assert "bao-cao-hai-phong-" in csv_response.headers["Content-Disposition"]
    assert _csv_tables(csv_response.data) == on_page
    assert _xlsx_tables(client.get("/city/export.xlsx").data) == on_page
    assert client.get("/city/export.pdf").status_code == 404


def test_a_formula_like_ward_name_is_never_a_formula_in_the_export(client, auth, city):
    province = db.session.scalar(sa.select(Ward).where(Ward.name == "Phường Lưu Kiếm")).province
    factories.ward('=HYPERLINK("http://x","y")', province_obj=province)
    auth.login("so-hp")
    body = client.get("/city/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_other_roles_cannot_open_the_city_page(client, auth, city):
    for username in ("phuong-khoa", "bgh-a"):
        auth.login(username)
        assert client.get("/city/").status_code == 403
        assert client.get("/city/export.csv").status_code == 403
        auth.logout()
