"""The example roster files the upload page offers (.xlsx and .csv, same columns and rows).

The columns are the ones most Vietnamese school lists already have; only "Họ và tên",
"Ngày sinh" and "Lớp" are required for students. Teachers are rows too, with the role
"Giáo viên" and, in "Lớp", the class they lead as homeroom teacher (may be empty).
The names are made up.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _

COLUMNS = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Lớp", "Vai trò"]
ROWS = [
    ("HS0001", "Nguyễn Minh An", date(2014, 3, 12), "6A1", "Học sinh"),
    ("HS0002", "Trần Thị Bảo Ngọc", date(2014, 11, 5), "6A1", "Học sinh"),
    ("HS0003", "Đặng Quốc Huy", date(2013, 7, 30), "7A1", "Học sinh"),
    ("", "Lê Thu Hằng", None, "6A1", "Giáo viên"),
    ("", "Phạm Văn Đức", None, "7A1", "Giáo viên"),
    ("", "Vũ Thị Lan", None, "", "Nhân viên"),
]


def _instructions() -> list[tuple[str, str]]:
    return [
        (_("Cột"), _("Cách điền")),
        ("Mã học sinh", _("Không bắt buộc. Mã của học sinh trong sổ của trường; nên có.")),
        ("Họ và tên", _("Bắt buộc. Viết đủ dấu, ví dụ Nguyễn Minh An.")),
        ("Ngày sinh", _("Bắt buộc với học sinh. Ngày/tháng/năm, ví dụ 05/09/2013.")),
        ("Lớp", _("Bắt buộc với học sinh, ví dụ 6A1. Với giáo viên: lớp chủ nhiệm (nếu có).")),
        ("Vai trò", _("Học sinh, Giáo viên hoặc Nhân viên. Để trống nghĩa là Học sinh.")),
        ("", _("Không dùng công thức (=…). Có thể giữ các cột khác (STT, Giới tính…).")),
    ]


def example_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, (code, name, born, klass, role) in enumerate(ROWS, start=1):
        sheet.append([number, code or None, name, born, klass or None, role])
        if born:
            sheet.cell(row=number + 1, column=4).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEF", (6, 14, 26, 13, 8, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    guide = workbook.create_sheet(_("Hướng dẫn"))
    for row in _instructions():
        guide.append(row)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_csv() -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number, (code, name, born, klass, role) in enumerate(ROWS, start=1):
        writer.writerow(
            [number, code, name, born.strftime("%d/%m/%Y") if born else "", klass, role]
        )
    return buffer.getvalue().encode("utf-8-sig")
