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


def _read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

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
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_RAW_ROWS:
            raise RosterFileError(_too_many_rows())
        values = [cell.value for cell in cells]
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
    delimiter = _sniff_delimiter([line for line in lines[:40] if line.strip()])
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            values = values[:MAX_COLUMNS]
            if any(_filled(v) for v in values):
                rows.append((number, list(values)))
                if len(rows) > MAX_DATA_ROWS:
                    raise RosterFileError(_too_many_rows())
    except csv.Error:
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
