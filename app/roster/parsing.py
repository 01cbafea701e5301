"""From a spreadsheet's rows to roster rows: find the header, read each row, check the file.

Each sheet's header is the first of its first rows that names at least the person's name and
one more known column; title lines above it ("DANH SÁCH HỌC SINH LỚP 6A1") and columns we do
not use (STT, Giới tính, Dân tộc…) are skipped and listed in the preview. Column names are
compared case- and diacritic-insensitively, without anything in brackets, so
"NGÀY SINH (dd/mm/yyyy)" is "Ngày sinh".

Personal identity numbers (CCCD, "mã định danh" alone) are deliberately not read: the
platform needs the school's own student or teacher code, not a citizen's ID.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from app.models.org import SchoolLevel
from app.models.users import Role
from app.roster.fields import (
    FieldError,
    fold,
    name_key,
    read_birth_date,
    read_class_name,
    read_code,
    read_name,
    read_role,
    read_text,
)
from app.roster.problems import FIELD_LABELS, Problem
from app.roster.spreadsheet import RosterFileError, Sheet

HEADER_SCAN_ROWS = 20

COLUMN_ALIASES = {
    "code": {
        "ma hoc sinh", "ma hs", "ma so hoc sinh", "ma so hs", "ma dinh danh hoc sinh",
        "ma giao vien", "ma gv", "ma can bo", "ma cb", "ma nhan vien", "ma nv", "ma so", "ma",
        "student code", "student id", "staff code", "code",
    },
    "full_name": {
        "ho va ten", "ho ten", "ho va ten hoc sinh", "ho ten hoc sinh", "ten hoc sinh",
        "ho va ten giao vien", "ho ten giao vien", "ho va ten can bo", "ho ten can bo",
        "ho va ten nhan vien", "hoten", "full name", "name",
    },
    "family_name": {"ho", "ho dem", "ho va dem", "ho va ten dem", "ho lot"},
    "given_name": {"ten"},
    "birth_date": {
        "ngay sinh", "ngay thang nam sinh", "ngay sinh hoc sinh", "sinh ngay", "ns",
        "ngay thang nam sinh hoc sinh", "date of birth", "birth date", "dob",
    },
    "class_name": {"lop", "ten lop", "lop hoc", "lop hien tai", "hoc lop", "class"},
    "role": {"vai tro", "chuc vu", "vi tri", "doi tuong", "chuc danh", "role"},
    "homeroom_teacher": {
        "giao vien chu nhiem", "gvcn", "ten gvcn", "ho ten gvcn", "ho va ten gvcn",
        "ho ten giao vien chu nhiem", "homeroom teacher",
    },
    "homeroom_class": {"chu nhiem lop", "lop chu nhiem", "chu nhiem", "cn lop"},
}  # fmt: skip
ALIAS_TO_FIELD = {alias: key for key, aliases in COLUMN_ALIASES.items() for alias in aliases}
NAME_FIELDS = {"full_name", "family_name", "given_name"}


@dataclass
class RosterRow:
    """One person as the file describes them, cleaned and checked."""

    row: int
    sheet: str | None
    role: Role
    full_name: str
    code: str | None = None
    birth_date: date | None = None
    class_name: str | None = None  # a student's class, or the class a teacher leads
    grade: int | None = None
    homeroom_teacher: str | None = None  # from a student row's "Giáo viên chủ nhiệm" cell

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    def where(self) -> str:
        """The row as messages name it: "7", or "7 (trang “6A2”)" in a multi-sheet file."""
        if self.sheet:
            return _("%(row)d (trang “%(sheet)s”)", row=self.row, sheet=self.sheet)
        return str(self.row)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["role"] = self.role.value
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> RosterRow:
        data = dict(data)
        data["role"] = Role(data["role"])
        if data["birth_date"]:
            data["birth_date"] = date.fromisoformat(data["birth_date"])
        return cls(**data)


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "rows": [r.to_dict() for r in self.rows],
            "problems": [p.to_dict() for p in self.problems],
            "ignored_columns": self.ignored_columns,
            "ignored_sheets": self.ignored_sheets,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ParsedRoster:
        return cls(
            rows=[RosterRow.from_dict(r) for r in data["rows"]],
            problems=[Problem.from_dict(p) for p in data["problems"]],
            ignored_columns=data["ignored_columns"],
            ignored_sheets=data["ignored_sheets"],
        )


def normalise_header(text: str) -> str:
    """ "NGÀY SINH (dd/mm/yyyy)" → "ngay sinh"; "Họ và tên:" → "ho va ten"."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"[^0-9a-z]+", " ", fold(text))
    return " ".join(text.split())


def parse_roster(sheets: list[Sheet], level: SchoolLevel, today: date) -> ParsedRoster:
    """Read every sheet that has a recognisable header; check each row and the file as a
    whole. A problem with the file's shape (no header anywhere, a required column missing)
    raises ``RosterFileError``; problems in rows are collected, all of them."""
    parsed = ParsedRoster()
    with_header = []
    for sheet in sheets:
        found = _find_header(sheet)
        if found is None:
            if sheet.name is not None:
                parsed.ignored_sheets.append(sheet.name)
            continue
        with_header.append((sheet, *found))
    if not with_header:
        raise RosterFileError(
            _(
                "Không tìm thấy dòng tiêu đề. Dòng đầu bảng cần có các cột “Họ và tên”, "
                "“Ngày sinh” và “Lớp” (xem tệp mẫu)."
            )
        )
    several = len(with_header) > 1
    candidates: list[tuple[RosterRow, set[str]]] = []  # every row read, with its bad columns
    for sheet, header_row, columns, ignored in with_header:
        _check_required_columns(sheet, header_row, columns)
        parsed.ignored_columns.extend(c for c in ignored if c not in parsed.ignored_columns)
        sheet_name = sheet.name if several else None
        for number, values in sheet.rows:
            if number <= header_row:
                continue
            read = _read_row(number, values, columns, sheet_name, level, today, parsed.problems)
            if read is not None:
                candidates.append(read)
    if not candidates:
        raise RosterFileError(
            _("Tệp chỉ có dòng tiêu đề, chưa có ai trong danh sách. Hãy điền mỗi người một dòng.")
        )
    _check_duplicates(parsed, candidates)
    _check_homerooms(parsed)
    return parsed


def _find_header(sheet: Sheet) -> tuple[int, dict[str, int], list[str]] | None:
    for number, values in sheet.rows[:HEADER_SCAN_ROWS]:
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                continue
            key = ALIAS_TO_FIELD.get(normalise_header(value))
            if key is None or key in columns:
                ignored.append(" ".join(value.split()))
            else:
                columns[key] = index
        has_name = "full_name" in columns or {"family_name", "given_name"} <= columns.keys()
        if has_name and len(columns.keys() - NAME_FIELDS) >= 1:
            return number, columns, ignored
    return None


def _check_required_columns(sheet: Sheet, header_row: int, columns: dict[str, int]) -> None:
    """Students need a class and a birth date; a list of teachers and staff alone needs
    neither, so these columns are required only when the sheet lists students."""
    if not _lists_students(sheet, header_row, columns):
        return
    missing = [key for key in ("birth_date", "class_name") if key not in columns]
    if not missing:
        return
    names = ", ".join(f"“{FIELD_LABELS[key]}”" for key in missing)
    where = _(" ở trang “%(sheet)s”", sheet=sheet.name) if sheet.name else ""
    raise RosterFileError(
        _(
            "Thiếu cột %(names)s%(where)s. Học sinh cần lớp (ví dụ 6A1) và ngày sinh "
            "(ngày/tháng/năm, để phân biệt các em trùng tên). Xem tệp mẫu.",
            names=names,
            where=where,
        )
    )


def _lists_students(sheet: Sheet, header_row: int, columns: dict[str, int]) -> bool:
    index = columns.get("role")
    if index is None:
        return True  # without a role column every row is a student
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        try:
            role = read_role(values[index] if index < len(values) else None)
            if role == Role.STUDENT and any(
                values[i] is not None for i in columns.values() if i < len(values)
            ):
                return True
        except FieldError:
            continue
    return False


def _read_row(
    number: int,
    values: list[object],
    columns: dict[str, int],
    sheet: str | None,
    level: SchoolLevel,
    today: date,
    problems: list[Problem],
) -> tuple[RosterRow, set[str]] | None:
    """One data row and the columns in it that could not be read (the row is imported only
    if there are none), or None for a row with nothing in the columns we read (a footer, a
    signature block). Every faulty cell of the row is reported, not just the first."""

    def cell(key: str) -> object:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    if all(_blank(cell(key)) for key in columns):
        return None
    found: dict[str, object] = {}
    row_problems: list[Problem] = []

    def take(key: str, reader, *args, **kwargs) -> None:
        try:
            found[key] = reader(cell(key), *args, **kwargs) if key in columns else None
        except FieldError as error:
            found[key] = None
            row_problems.append(
                Problem(
                    error.code, number, key, get_column_letter(columns[key] + 1), sheet,
                    error.params,
                )
            )  # fmt: skip

    take("role", read_role)
    role = found["role"] or Role.STUDENT
    take("code", read_code)
    for key in ("full_name", "family_name", "given_name", "homeroom_teacher"):
        take(key, read_name)
    take("birth_date", read_birth_date, today=today, student=role == Role.STUDENT)
    take("class_name", read_class_name, level)
    take("homeroom_class", read_class_name, level)

    full_name = found["full_name"] or " ".join(
        str(found[k]) for k in ("family_name", "given_name") if found[k]
    )
    role_known = not any(p.column == "role" for p in row_problems)
    student_fields = ["birth_date", "class_name"] if role == Role.STUDENT and role_known else []
    required = ["name", *student_fields]
    for key in required:
        missing = not full_name if key == "name" else found[key] is None
        already = any(p.row == number and p.column in _columns_for(key) for p in row_problems)
        if missing and not already:
            column = _name_column(columns) if key == "name" else key
            letter = get_column_letter(columns[column] + 1) if column in columns else None
            row_problems.append(Problem("required", number, column, letter, sheet))

    klass = found["class_name"] or found["homeroom_class"]
    if role != Role.STUDENT:
        klass = found["homeroom_class"] or found["class_name"]
        if klass and role == Role.STAFF:
            key = "homeroom_class" if found["homeroom_class"] else "class_name"
            row_problems.append(
                Problem("staff_homeroom", number, key, get_column_letter(columns[key] + 1), sheet)
            )
    problems.extend(row_problems)
    class_name, grade = klass if klass else (None, None)
    row = RosterRow(
        row=number,
        sheet=sheet,
        role=role,
        full_name=full_name,
        code=found["code"],
        birth_date=found["birth_date"],
        class_name=class_name,
        grade=grade,
        homeroom_teacher=found["homeroom_teacher"] if role == Role.STUDENT else None,
    )
    return row, {p.column for p in row_problems}


def _blank(value: object) -> bool:
    try:
        return read_text(value) is None
    except FieldError:
        return False  # a faulty cell is not an empty one


def _columns_for(key: str) -> set[str]:
    return NAME_FIELDS if key == "name" else {key}


def _name_column(columns: dict[str, int]) -> str:
    return "full_name" if "full_name" in columns or "given_name" not in columns else "given_name"


def _check_duplicates(parsed: ParsedRoster, candidates: list[tuple[RosterRow, set[str]]]) -> None:
    """The same person twice in the file: same code, or (without codes) same name and birth
    date. Reported on the later row, naming the earlier one, even when either row has other
    problems too, so that fixing those does not reveal a new one. Keeps the good rows."""
    seen: dict[tuple, RosterRow] = {}
    for row, bad in candidates:
        duplicate = None
        for key in _identity_keys(row, bad):
            if key in seen and not _codes_differ(seen[key], row):
                duplicate = (seen[key], key)
                break
        if duplicate:
            first, key = duplicate
            code, column, params = {
                "code": ("duplicate_code", "code", {"code": row.code}),
                "name": ("duplicate_name_birth", "full_name", {}),
                "name_only": ("duplicate_name", "full_name", {}),
            }[key[1]]
            parsed.problems.append(
                Problem(code, row.row, column, None, row.sheet, {"other": first.where(), **params})
            )
            continue
        for key in _identity_keys(row, bad):
            seen.setdefault(key, row)
        if not bad:
            parsed.rows.append(row)


def _identity_keys(row: RosterRow, bad: set[str]) -> list[tuple]:
    """What makes a row the same person as another, from the cells that could be read."""
    group = "student" if row.is_student else "staff"
    keys = []
    if row.code and "code" not in bad:
        keys.append((group, "code", row.code))
    name_ok = row.full_name and not bad & NAME_FIELDS
    if name_ok and (not row.code or row.is_student):
        if row.birth_date:
            keys.append((group, "name", name_key(row.full_name), row.birth_date))
        elif not row.is_student:
            keys.append((group, "name_only", name_key(row.full_name)))
    return keys


def _codes_differ(first: RosterRow, second: RosterRow) -> bool:
    return bool(first.code and second.code and first.code != second.code)


def _check_homerooms(parsed: ParsedRoster) -> None:
    """Each class has at most one homeroom teacher, whether a teacher's row names the class
    or students' rows name the teacher."""
    chosen: dict[str, tuple[str, RosterRow]] = {}
    for row in parsed.rows:
        if row.is_student and row.homeroom_teacher:
            teacher, column = row.homeroom_teacher, "homeroom_teacher"
        elif not row.is_student and row.class_name:
            teacher, column = row.full_name, "class_name"
        else:
            continue
        earlier = chosen.setdefault(row.class_name, (teacher, row))
        if name_key(earlier[0]) != name_key(teacher):
            parsed.problems.append(
                Problem(
                    "homeroom_conflict", row.row, column, None, row.sheet,
                    {
                        "class_name": row.class_name, "first": earlier[0],
                        "other": earlier[1].where(), "second": teacher,
                    },
                )
            )  # fmt: skip
