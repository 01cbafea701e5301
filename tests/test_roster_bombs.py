"""Hostile roster files are refused in seconds with a clear message and leave nothing:
an .xlsx that inflates hugely, XML entity expansion, a CSV cell over the csv module's
128 KB limit."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import RosterImport
from tests.fixtures.roster.flow import upload
from tests.fixtures.roster.sheets import csv_bytes, xlsx_bytes


@pytest.fixture
def admin(client, auth, org):
    auth.login("bgh-hai")
    return org.school_admin


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = content if item.filename == name else source.read(item.filename)
            target.writestr(item.filename, body, compresslevel=9)
    return out.getvalue()


def _bomb() -> bytes:
    """A small .xlsx whose sheet inflates to about 60 MB of XML (rows of empty cells)."""
    row = "".join(f'<c r="{col}1" t="inlineStr"><is><t></t></is></c>' for col in "ABCDEFG")
    rows = ("<row>" + row + "</row>") * 170_000
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    return _replace_member(xlsx_bytes(), "xl/worksheets/sheet1.xml", sheet)


def _refused_quickly(client, data, name, message):
    start = time.perf_counter()
    response = upload(client, data, name)
    elapsed = time.perf_counter() - start
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[:500]
    assert message in html
    assert elapsed < 5, elapsed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def test_an_xlsx_that_inflates_hugely_is_refused_in_seconds(client, admin):
    bomb = _bomb()
    assert len(bomb) < 400_000
    inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert inflated > 50 * 1024 * 1024
    _refused_quickly(client, bomb, "danh-sach.xlsx", "khi mở ra quá lớn")


def test_xml_entity_expansion_is_refused(client, admin):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = _replace_member(xlsx_bytes(), "xl/worksheets/sheet1.xml", laughs)
    _refused_quickly(client, data, "danh-sach.xlsx", "Không đọc được tệp này")


def test_a_csv_cell_over_the_csv_limit_gets_a_clear_message(client, admin):
    data = csv_bytes() + b'9,HS009,"' + b"x" * 200_000 + b'",01/01/2014,6A1,Nam,\n'
    _refused_quickly(client, data, "danh-sach.csv", "có một ô dài quá")


def test_an_overlong_xlsx_cell_is_named_by_its_row(client, admin):
    rows = [[1, "HS001", "Nguyễn Minh An" + " x" * 800, "12/03/2014", "6A1", "Nam", ""]]
    _refused_quickly(client, xlsx_bytes(rows=rows), "danh-sach.xlsx", "Dòng 5 có một ô dài quá")


def test_a_normal_roster_still_imports(client, admin):
    response = upload(client, xlsx_bytes(), "danh-sach.xlsx")
    assert response.status_code == 302
