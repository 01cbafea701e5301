"""Exports agree with the page cell for cell, and a spreadsheet never runs what they hold."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models.reports import ReportSnapshot, SnapshotScope
from app.reports.export import neutralise
from tests.test_reports_fixtures import build_world


class _Tables(HTMLParser):
    """Collects the text of every cell of the ``report-table`` tables, row by row."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._in_table = self._in_cell = False
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "report-table" in (dict(attrs).get("class") or ""):
            self._in_table = True
            self.tables.append([])
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._in_table and tag in ("td", "th"):
            self._in_cell = True
            self._row.append("")

    def handle_endtag(self, tag):
        if tag == "table" and self._in_table:
            self._in_table = False
        elif self._in_table and tag == "tr":
            self.tables[-1].append(self._row)
        elif tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self._row[-1] += data.strip()


def _page_tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _csv_tables(body: bytes) -> list[list[list[str]]]:
    """The CSV's tables: after the header lines, each is a blank line, its title, its
    column titles and rows, then maybe a one-cell note."""
    assert body.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    sections: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return [[row for row in section[1:] if len(row) > 1] for section in sections[1:]]


@pytest.fixture
def world(app):
    return build_world()


def _xlsx_tables(body: bytes) -> list[list[list]]:
    """The same layout as the CSV, read from the single sheet of the workbook."""
    sheet = load_workbook(io.BytesIO(body)).active
    sections: list[list[list]] = [[]]
    for row in sheet.iter_rows():
        cells = [_as_page_text(cell.value, cell.number_format) for cell in row]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            sections[-1].append(cells)
        else:
            sections.append([])
    return [[row for row in section[1:] if len(row) > 1] for section in sections[1:]]


def _as_page_text(value, number_format: str):
    """How the page prints a spreadsheet number (Vietnamese decimal comma)."""
    if isinstance(value, int | float) and number_format == "0.0%":
        return f"{value * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"
    if isinstance(value, int | float) and number_format == "0.0":
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return value


@pytest.mark.parametrize(
    ("username", "url", "export"),
    [
        ("bgh-a", "/school/", "/reports/school/export"),
        ("phuong-khoa", "/ward/", "/reports/ward/export"),
    ],
    ids=["school", "ward"],
)
def test_live_exports_hold_exactly_the_page_tables(client, auth, world, username, url, export):
    auth.login(username)
    on_page = _page_tables(client.get(url).get_data(as_text=True))
    assert len(on_page) >= 4
    assert _csv_tables(client.get(export + ".csv").data) == on_page
    in_workbook = _xlsx_tables(client.get(export + ".xlsx").data)
    assert len(in_workbook) == len(on_page)
    for sheet_table, page_table in zip(in_workbook, on_page, strict=True):
        assert sheet_table == page_table


def test_snapshot_page_and_exports_agree(client, auth, runner, world):
    runner.invoke(args=["reports", "snapshot", "--period", "month"])
    snapshot = db.session.scalar(
        db.select(ReportSnapshot).where(
            ReportSnapshot.scope == SnapshotScope.SCHOOL, ReportSnapshot.scope_id == world.school.id
        )
    )
    auth.login("bgh-a")
    on_page = _page_tables(client.get(f"/reports/{snapshot.id}").get_data(as_text=True))
    response = client.get(f"/reports/{snapshot.id}/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert _csv_tables(response.data) == on_page
    ranking = next(t for t in on_page if t[0][0] == "Hạng")
    assert ranking[1][:2] == ["1", "8A1"] and ranking[1][-1] == "50,0"
    assert ranking[2][:2] == ["2", "6A1"] and ranking[2][-1] == "37,5"


@pytest.mark.parametrize(
    "text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_plain_values_pass_through():
    assert neutralise("6A1") == "6A1"
    assert neutralise("Trường THCS") == "Trường THCS"
    assert neutralise(-3) == -3  # a number is a number, not a formula
    assert neutralise("≥ 80%") == "≥ 80%"


def test_a_malicious_class_and_school_name_are_never_formulas(app, client, auth):
    build_world(class_6a1_name="=1+1", school_name="@SUM(9*9)")
    auth.login("bgh-a")
    page = client.get("/school/").get_data(as_text=True)
    assert "=1+1" in page  # shown as typed on the page (and HTML-escaped)

    text = client.get("/reports/school/export.csv").data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=1+1" in cells and "=1+1" not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    sheet = load_workbook(io.BytesIO(client.get("/reports/school/export.xlsx").data)).active
    strings = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert "'=1+1" in [c.value for c in strings]
    assert not any(c.value.startswith(("=", "+", "-", "@", "\t", "\r")) for c in strings)


def test_a_malicious_school_name_in_the_ward_export(app, client, auth):
    build_world(school_name="@SUM(9*9)")
    auth.login("phuong-khoa")
    text = client.get("/reports/ward/export.csv").data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'@SUM(9*9)" in cells and "@SUM(9*9)" not in cells
