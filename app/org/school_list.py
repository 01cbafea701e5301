"""A whole city's schools from one spreadsheet: read, preview, then create all or nothing.

The file (.xlsx or .csv, read by the roster's reader, so the same limits apply) has a
header row naming at least "Phường, xã", "Tên trường" and "Cấp học"; title lines above it
and other columns are skipped. Each row is one school of the chosen province. A ward the
province does not have yet is created with its schools (the preview lists it, so a typo
shows before anything is saved). A school already there at the same level is left as it
is, so the same file can be sent twice. Every problem is named by row and column, and
while there is one, nothing can be confirmed.

Between the preview and the confirmation the rows travel in the page, signed with
SECRET_KEY (itsdangerous), and are checked again against the database before writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from openpyxl.utils import get_column_letter

from app.extensions import db
from app.models import Province, School, SchoolLevel, Ward
from app.org.names import clean, key
from app.org.services import MAX_NAME, MAX_SCHOOL_NAME, _ward_code
from app.roster.fields import fold
from app.roster.parsing import normalise_header
from app.roster.spreadsheet import RosterFileError, Sheet

MAX_FILE_BYTES = 2 * 1024 * 1024
HEADER_SCAN_ROWS = 20
TOKEN_SALT = "cung-hoc-so/org/school-list/v1"  # noqa: S105 - a label, not a secret
TOKEN_MAX_AGE = 24 * 3600

COLUMNS = {
    "ward": {"phuong xa", "phuong", "xa", "phuong xa dac khu", "dia ban", "ten phuong xa",
             "don vi hanh chinh", "ward"},
    "name": {"ten truong", "truong", "ten co so giao duc", "co so giao duc", "school",
             "school name"},
    "level": {"cap hoc", "cap", "bac hoc", "loai truong", "level"},
}  # fmt: skip
ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
# Level words folded to ASCII, punctuation as spaces: "TH&THCS" → "th thcs".
LEVEL_WORDS = {
    SchoolLevel.PRESCHOOL: {"mam non", "mn", "mau giao", "nha tre"},
    SchoolLevel.PRIMARY: {"tieu hoc", "th"},
    SchoolLevel.LOWER_SECONDARY: {"thcs", "trung hoc co so"},
    SchoolLevel.PRIMARY_AND_LOWER_SECONDARY: {
        "th thcs", "th va thcs", "tieu hoc va thcs", "tieu hoc va trung hoc co so",
    },
}  # fmt: skip
LEVEL_OF = {word: level for level, words in LEVEL_WORDS.items() for word in words}


def level_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def column_label(column: str) -> str:
    return {"ward": _("Phường, xã"), "name": _("Tên trường"), "level": _("Cấp học")}[column]


@dataclass(frozen=True)
class ListProblem:
    row: int
    column: str | None
    letter: str | None
    text: str

    def message(self) -> str:
        where = _("Dòng %(row)d", row=self.row)
        if self.column:
            where += ", " + _(
                "cột %(label)s (%(letter)s)", label=column_label(self.column), letter=self.letter
            )
        return f"{where}: {self.text}"


@dataclass
class SchoolRow:
    row: int
    ward: str
    name: str
    level: str  # SchoolLevel value

    def to_list(self) -> list:
        return [self.row, self.ward, self.name, self.level]


@dataclass
class ListPlan:
    province: Province
    rows: list[SchoolRow]
    problems: list[ListProblem] = field(default_factory=list)
    new_wards: list[str] = field(default_factory=list)
    new_schools: list[SchoolRow] = field(default_factory=list)
    existing: list[SchoolRow] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.problems and bool(self.new_schools)


def read_upload(data: bytes) -> list[Sheet]:
    """The file's sheets; too big, empty or unreadable raises ``RosterFileError``."""
    from app.roster.spreadsheet import read_sheets

    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError(
            _("Tệp lớn quá %(mb)d MB. Danh sách trường chỉ cần ba cột.", mb=MAX_FILE_BYTES >> 20)
        )
    return read_sheets(data)


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for number, values in sheet.rows[:HEADER_SCAN_ROWS]:
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            if isinstance(value, str):
                column = ALIASES.get(normalise_header(value))
                if column and column not in columns:
                    columns[column] = index
        if len(columns) >= 2:
            return number, columns
    return None


def parse_rows(sheets: list[Sheet]) -> tuple[list[SchoolRow], list[ListProblem]]:
    """The first sheet with a header; every row read, every problem in it named."""
    for sheet in sheets:
        found = _header(sheet)
        if found is not None:
            break
    else:
        raise RosterFileError(
            _(
                "Không tìm thấy dòng tiêu đề. Dòng đầu bảng cần có các cột “Phường, xã”, "
                "“Tên trường” và “Cấp học”."
            )
        )
    header_row, columns = found
    missing = [column_label(c) for c in COLUMNS if c not in columns]
    if missing:
        raise RosterFileError(
            _(
                "Dòng tiêu đề (dòng %(row)d) thiếu cột: %(columns)s.",
                row=header_row,
                columns=", ".join(f"“{m}”" for m in missing),
            )
        )
    rows: list[SchoolRow] = []
    problems: list[ListProblem] = []
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        cells = {}
        bad = False
        for column, index in columns.items():
            letter = get_column_letter(index + 1)
            raw = values[index] if index < len(values) else None
            text = clean(str(raw)) if raw is not None else ""
            limit = MAX_SCHOOL_NAME if column == "name" else MAX_NAME
            if isinstance(raw, str) and raw.lstrip().startswith("="):
                problems.append(ListProblem(number, column, letter, _("ô chứa công thức.")))
                bad = True
            elif not text:
                problems.append(ListProblem(number, column, letter, _("còn trống, cần điền.")))
                bad = True
            elif len(text) > limit:
                problems.append(
                    ListProblem(number, column, letter, _("dài quá %(max)d ký tự.", max=limit))
                )
                bad = True
            cells[column] = text
        if bad:
            continue
        level = LEVEL_OF.get(level_key(cells["level"]))
        if level is None:
            problems.append(
                ListProblem(
                    number, "level", get_column_letter(columns["level"] + 1),
                    _("“%(value)s” không phải cấp học. Hãy ghi Mầm non, Tiểu học, THCS hoặc "
                      "TH&THCS.", value=cells["level"]),
                )
            )  # fmt: skip
            continue
        rows.append(SchoolRow(number, cells["ward"], cells["name"], level.value))
    if not rows and not problems:
        raise RosterFileError(_("Tệp chỉ có dòng tiêu đề, chưa có trường nào."))
    seen: dict[tuple[str, str], int] = {}
    name_letter = get_column_letter(columns["name"] + 1)
    for row in rows:
        pair = (key(row.ward), key(row.name))
        if pair in seen:
            problems.append(
                ListProblem(
                    row.row, "name", name_letter,
                    _("“%(name)s” ở %(ward)s trùng với dòng %(other)d. Hãy xoá một trong hai "
                      "dòng.", name=row.name, ward=row.ward, other=seen[pair]),
                )
            )  # fmt: skip
        else:
            seen[pair] = row.row
    problems.sort(key=lambda p: (p.row, p.column or ""))
    return rows, problems


def plan(province: Province, rows: list[SchoolRow], problems: list[ListProblem]) -> ListPlan:
    """What confirming would do, against the database as it is now."""
    result = ListPlan(province, rows, list(problems))
    wards = {key(w.name): w for w in province.wards}
    new_wards: dict[str, str] = {}
    for row in rows:
        ward = wards.get(key(row.ward))
        if ward is None:
            new_wards.setdefault(key(row.ward), row.ward)
            result.new_schools.append(row)
            continue
        school = next((s for s in ward.schools if key(s.name) == key(row.name)), None)
        if school is None:
            result.new_schools.append(row)
        elif school.level.value != row.level:
            result.problems.append(
                ListProblem(
                    row.row, "level", None,
                    _("“%(name)s” ở %(ward)s đã có, với cấp học khác (%(level)s).",
                      name=school.name, ward=ward.name, level=school.level.value),
                )
            )  # fmt: skip
        else:
            result.existing.append(row)
    result.new_wards = list(new_wards.values())
    result.problems.sort(key=lambda p: (p.row, p.column or ""))
    return result


def apply(list_plan: ListPlan) -> int:
    """Create the new wards and schools in one transaction; the number of schools made."""
    province = list_plan.province
    wards = {key(w.name): w for w in province.wards}
    try:
        for row in list_plan.new_schools:
            ward = wards.get(key(row.ward))
            if ward is None:
                ward = Ward(
                    name=row.ward, province_id=province.id, code=_ward_code(row.ward, province)
                )
                db.session.add(ward)
                db.session.flush()
                wards[key(row.ward)] = ward
            db.session.add(School(name=row.name, level=SchoolLevel(row.level), ward_id=ward.id))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(list_plan.new_schools)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def seal(province: Province, rows: list[SchoolRow], problems: list[ListProblem]) -> str:
    return _serializer().dumps(
        {"province": province.id, "rows": [r.to_list() for r in rows], "bad": len(problems)}
    )


def unseal(token: str) -> tuple[int, list[SchoolRow], int] | None:
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
        rows = [SchoolRow(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in data["rows"]]
        return int(data["province"]), rows, int(data["bad"])
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        return None
