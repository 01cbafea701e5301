"""Turning an uploaded file into rows of cell values, whatever produced it.

Schools send .xlsx from Excel or Google Sheets and .csv from Excel (UTF-8 with or without a
BOM, the old Vietnamese Windows code page 1258, or "Unicode text" UTF-16), separated by
commas, semicolons (Excel in a Vietnamese locale) or tabs. The kind of file is decided by
its content, not its name. Anything else is refused with a ``RosterFileError`` whose
message says what to do; nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import time
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

MAX_COLUMNS = 30  # columns read per row; a roster needs fewer than ten
MAX_DATA_ROWS = 5000  # non-empty rows in the whole file (a large THCS has ~2,000 students)
MAX_RAW_ROWS = 100_000  # rows scanned, empty or not, before giving up on a sheet
MAX_SHEETS = 20
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003)
CSV_DELIMITERS = (",", ";", "\t")
# An .xlsx is a zip of XML. Checked on the zip's directory before anything is inflated:
# a 180 KB file can hold 60 MB of XML that would take minutes and gigabytes to parse.
# Python's zipfile never inflates a member past its declared size, so the sum below
# bounds what openpyxl can read. A real 5,000-row roster is well under 10 MB of XML.
MAX_XLSX_MEMBERS = 200
MAX_XLSX_UNCOMPRESSED = 25 * 1024 * 1024
MAX_XLSX_RATIO = 100  # uncompressed ÷ compressed, for members over 1 MB
RATIO_CHECK_FROM = 1024 * 1024
MAX_PARSE_SECONDS = 20
MAX_CELL_CHARS = 1000  # a name, a date, a class: nothing in a roster is longer


class RosterFileError(Exception):
    """The file as a whole cannot be used; the message (Vietnamese) is shown on the form."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[tuple[int, list[object]]]  # (row number as the spreadsheet shows it, values)


def read_sheets(data: bytes) -> list[Sheet]:
    """Every sheet's non-empty rows, numbered as Excel numbers them."""
    if not data.strip():
        raise RosterFileError(_("Tệp trống, không có dòng nào."))
    if data.startswith(XLSX_MAGIC):
        sheets = _read_xlsx(data)
    elif data.startswith(OLE_MAGIC):
        raise RosterFileError(
            _(
                "Đây là tệp Excel kiểu cũ (.xls). Hãy mở bằng Excel và chọn Lưu thành "
                "“Excel Workbook (.xlsx)”, rồi tải lên lại."
            )
        )
    else:
        sheets = [_read_csv(data)]
    if sum(len(sheet.rows) for sheet in sheets) > MAX_DATA_ROWS:
        raise RosterFileError(_too_many_rows())
    if not any(sheet.rows for sheet in sheets):
        raise RosterFileError(_("Tệp trống, không có dòng nào."))
    return sheets


def _too_many_rows() -> str:
    return _(
        "Tệp có quá nhiều dòng (tối đa %(max)d). Hãy chia thành nhiều tệp, ví dụ theo khối.",
        max=MAX_DATA_ROWS,
    )


def _check_xlsx_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RosterFileError(_not_a_spreadsheet()) from None
    total = sum(member.file_size for member in members)
    too_packed = any(
        member.file_size > RATIO_CHECK_FROM
        and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_XLSX_MEMBERS or total > MAX_XLSX_UNCOMPRESSED or too_packed:
        raise RosterFileError(_too_big_inside())


def _too_big_inside() -> str:
    return _(
        "Tệp Excel này khi mở ra quá lớn so với một danh sách học sinh (có thể chứa rất "
        "nhiều ô trống hoặc dữ liệu thừa). Hãy chép riêng bảng danh sách sang một tệp "
        "mới, hoặc lưu thành CSV, rồi tải lên lại."
    )


def _too_slow() -> str:
    return _(
        "Đọc tệp này mất quá nhiều thời gian. Hãy chép riêng bảng danh sách sang một tệp "
        "mới, hoặc lưu thành CSV, rồi tải lên lại."
    )


def _cell_too_long(number: int) -> str:
    return _(
        "Dòng %(row)d có một ô dài quá %(max)d ký tự. Danh sách chỉ cần họ tên, ngày sinh, "
        "lớp…: hãy xoá nội dung thừa ở dòng đó rồi tải lên lại.",
        row=number,
        max=MAX_CELL_CHARS,
    )


def _check_cells(number: int, values: list[object]) -> None:
    if any(isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in values):
        raise RosterFileError(_cell_too_long(number))


def _read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    # openpyxl parses with defusedxml when it is installed (a declared dependency), so
    # entity expansion and external entities are refused.
    _check_xlsx_size(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any failure to open an untrusted file means the same
        raise RosterFileError(_not_a_spreadsheet()) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets[:MAX_SHEETS]:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            sheets.append(Sheet(worksheet.title, _xlsx_rows(worksheet)))
        return sheets
    except RosterFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise RosterFileError(_not_a_spreadsheet()) from None
    finally:
        workbook.close()


def _xlsx_rows(worksheet) -> list[tuple[int, list[object]]]:
    # Read-only mode trusts the file's declared size, which some tools write wrongly.
    worksheet.reset_dimensions()
    rows = []
    deadline = time.monotonic() + MAX_PARSE_SECONDS
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_RAW_ROWS:
            raise RosterFileError(_too_many_rows())
        if number % 500 == 0 and time.monotonic() > deadline:
            raise RosterFileError(_too_slow())
        values = [cell.value for cell in cells]
        _check_cells(number, values)
        if any(_filled(v) for v in values):
            rows.append((number, values))
            if len(rows) > MAX_DATA_ROWS:
                raise RosterFileError(_too_many_rows())
    return rows


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if "\x00" in text:
        raise RosterFileError(_not_a_spreadsheet())
    lines = text.splitlines()
    rows = []
    reader = None
    try:
        delimiter = _sniff_delimiter([line for line in lines[:40] if line.strip()])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, values in enumerate(reader, start=1):
            values = values[:MAX_COLUMNS]
            _check_cells(number, values)
            if any(_filled(v) for v in values):
                rows.append((number, list(values)))
                if len(rows) > MAX_DATA_ROWS:
                    raise RosterFileError(_too_many_rows())
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # the csv module stops at 128 KB in one cell (an unclosed quote, usually)
            line = reader.line_num if reader is not None else 1
            raise RosterFileError(_cell_too_long(line)) from None
        raise RosterFileError(_not_a_spreadsheet()) from None
    return Sheet(None, rows)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1258 (Vietnamese)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RosterFileError(_not_a_spreadsheet()) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise RosterFileError(_not_a_spreadsheet()) from None


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number of columns (> 1).

    Title lines above the header ("DANH SÁCH HỌC SINH, NĂM HỌC 2025-2026") may contain a
    comma, so no single line decides."""
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _not_a_spreadsheet() -> str:
    return _(
        "Không đọc được tệp này như một bảng tính. Hãy tải lên tệp Excel (.xlsx) hoặc "
        "CSV (.csv), ví dụ lưu lại từ Excel hoặc dùng tệp mẫu."
    )
