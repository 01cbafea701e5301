"""Writing report tables to .csv and .xlsx, safe to open in Excel.

Both files hold exactly the header lines and tables the page shows (``tables.py``). A
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by a spreadsheet (a class named ``=HYPERLINK(…)`` is enough), so such text
gets a leading apostrophe: Excel then shows it as typed and never evaluates it.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from app.reports.tables import Kind, Table, format_cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {Kind.SHARE: "0.0%", Kind.NUMBER: "0.0"}
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text a spreadsheet would evaluate gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_lines(header: list[tuple[str, str]], tables: list[Table]) -> list[list[str]]:
    lines: list[list[str]] = [[label, value] for label, value in header]
    for table in tables:
        lines += [[], [table.title], [c.title for c in table.columns], *table.formatted()]
        if table.note:
            lines.append([table.note])
    return lines


def to_csv(header: list[tuple[str, str]], tables: list[Table]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads Vietnamese diacritics correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in _text_lines(header, tables):
        writer.writerow([neutralise(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[tuple[str, str]], tables: list[Table], sheet_title: str) -> bytes:
    """One sheet laid out like the CSV; counts, shares and scores as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    bold = Font(bold=True)
    for label, value in header:
        sheet.append([neutralise(label), neutralise(value)])
        sheet.cell(sheet.max_row, 1).font = bold
    for table in tables:
        sheet.append([])
        sheet.append([neutralise(table.title)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=13)
        sheet.append([neutralise(c.title) for c in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_xlsx_value(c.kind, v) for c, v in zip(table.columns, row, strict=True)])
            for column, cell in zip(table.columns, sheet[sheet.max_row], strict=False):
                if isinstance(cell.value, int | float) and column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        if table.note:
            sheet.append([neutralise(table.note)])
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(kind: Kind, value):
    """Numbers stay numbers (a share is a fraction shown as %); the rest is the same text
    the page shows."""
    if value is None:
        return format_cell(kind, value)
    if kind in (Kind.COUNT, Kind.NUMBER):
        return value
    if kind is Kind.SHARE:
        return int(value * 1000 + 1e-9) / 1000  # rounded down as on the page: 79.9%, never 80%
    return neutralise(format_cell(kind, value))
