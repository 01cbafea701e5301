"""A whole city's schools from one spreadsheet: preview, then all or nothing."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.extensions import db
from app.models import Role, School, SchoolLevel, Ward
from app.org.school_list import MAX_FILE_BYTES, read_upload
from app.roster.spreadsheet import RosterFileError


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["STT", "Phường, xã", "Tên trường", "Cấp học"]
GOOD = [
    ["DANH SÁCH CÁC TRƯỜNG THÀNH PHỐ HẢI PHÒNG"],
    HEADER,
    [1, "Phường Thủy Nguyên", "Trường THCS Dương Quan", "THCS"],
    [2, "Phường Thủy Nguyên", "Trường Tiểu học Hoa Động", "Tiểu học"],
    [3, "Phường Lưu Kiếm", "Trường TH&THCS Lưu Kiếm", "TH&THCS"],
    [4, "Phường Lưu Kiếm", "Trường Mầm non Hoa Sen", "Mầm non"],
]


@pytest.fixture
def setup(client, make):
    province = make.province("Hải Phòng")
    make.ward("Phường Thủy Nguyên", province_obj=province)
    admin = make.user(Role.ADMIN, username="quantri")
    client.post("/login", data={"username": admin.username, "password": make.PASSWORD})
    return province


def _upload(client, province, data: bytes, name: str = "truong.xlsx"):
    return client.post(
        "/admin/schools/import",
        data={"province": province.id, "school_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, page: str):
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/admin/schools/import/confirm", data={"digest": digest})


def _schools():
    return {(s.ward.name, s.name, s.level) for s in db.session.scalars(sa.select(School))}


def test_a_good_list_is_previewed_then_created_with_its_new_wards(client, setup):
    preview = _upload(client, setup, _xlsx(GOOD))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Trường mới: 4" in page and "Phường Lưu Kiếm" in page
    assert _schools() == set()  # the preview writes nothing

    assert _confirm(client, page).status_code == 302
    assert _schools() == {
        ("Phường Thủy Nguyên", "Trường THCS Dương Quan", SchoolLevel.LOWER_SECONDARY),
        ("Phường Thủy Nguyên", "Trường Tiểu học Hoa Động", SchoolLevel.PRIMARY),
        ("Phường Lưu Kiếm", "Trường TH&THCS Lưu Kiếm", SchoolLevel.PRIMARY_AND_LOWER_SECONDARY),
        ("Phường Lưu Kiếm", "Trường Mầm non Hoa Sen", SchoolLevel.PRESCHOOL),
    }
    wards = db.session.scalars(sa.select(Ward)).all()
    assert {w.name for w in wards} == {"Phường Thủy Nguyên", "Phường Lưu Kiếm"}
    assert all(w.province_id == setup.id for w in wards)

    # the same file again: nothing new, nothing to confirm
    again = _upload(client, setup, _xlsx(GOOD)).get_data(as_text=True)
    assert "Trường mới: 0" in again and "Đã có, giữ nguyên: 4" in again
    assert 'name="digest"' not in again


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_saved(client, setup, make):
    ward = db.session.scalar(sa.select(Ward))
    make.school(ward, name="Trường THCS Dương Quan", level=SchoolLevel.LOWER_SECONDARY)
    rows = [
        HEADER,
        [1, "Phường Thủy Nguyên", "Trường THCS Mới", "THCS"],
        [2, "", "Trường Không Phường", "THCS"],
        [3, "Phường Thủy Nguyên", "Trường Cấp Lạ", "Đại học"],
        [4, "Phường Thủy Nguyên", "Trường THCS Mới", "THCS"],
        [5, "Phường Thủy Nguyên", "Trường THCS Dương Quan", "Tiểu học"],
        [6, "Phường Thủy Nguyên", '=HYPERLINK("x")', "THCS"],
    ]
    response = _upload(client, setup, _xlsx(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dòng 3, cột Phường, xã (B): còn trống" in page
    assert "Dòng 4, cột Cấp học (D): “Đại học” không phải cấp học" in page
    assert (
        "Dòng 5, cột Tên trường (C): “Trường THCS Mới” ở Phường Thủy Nguyên trùng với dòng 2"
        in page
    )
    assert "Dòng 6" in page and "cấp học khác" in page
    assert "Dòng 7, cột Tên trường (C): ô chứa công thức" in page
    assert 'name="digest"' not in page
    assert _schools() == {("Phường Thủy Nguyên", "Trường THCS Dương Quan",
                           SchoolLevel.LOWER_SECONDARY)}  # fmt: skip


def test_a_file_without_the_columns_or_too_big_is_refused(client, setup):
    no_level = _upload(client, setup, _xlsx([["Phường, xã", "Tên trường"], ["A", "B"]]))
    assert no_level.status_code == 400
    assert "thiếu cột: “Cấp học”" in no_level.get_data(as_text=True)

    # bounded before parsing (called directly: the test client spools a big body to an
    # unclosed temporary file of its own)
    with pytest.raises(RosterFileError, match="Tệp lớn quá"):
        read_upload(b"a" * (MAX_FILE_BYTES + 1))

    not_a_sheet = _upload(client, setup, b"\x00\x01garbage", "truong.xlsx")
    assert not_a_sheet.status_code == 400
    assert _schools() == set()


def test_a_forged_or_changed_preview_creates_nothing(client, setup, make):
    page = _upload(client, setup, _xlsx(GOOD)).get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', page).group(1)
    forged = client.post("/admin/schools/import/confirm", data={"digest": digest[:-3] + "abc"})
    assert forged.status_code == 302 and _schools() == set()

    # meanwhile a school of the list is made at another level: confirm refuses, all of it
    ward = db.session.scalar(sa.select(Ward))
    make.school(ward, name="Trường THCS Dương Quan", level=SchoolLevel.PRIMARY)
    changed = client.post("/admin/schools/import/confirm", data={"digest": digest})
    assert changed.status_code == 409
    assert len(_schools()) == 1
