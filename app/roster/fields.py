"""Reading one cell of a school's roster: names, class names, birth dates, codes and roles.

Each reader takes the raw value as openpyxl or the csv module gives it (str, int, float,
datetime, date or None) and returns the clean value, or raises ``FieldError`` carrying the
problem code and parameters shown in the preview. They accept what schools really type
("lớp 6a1", "5/9/2013", "NGUYỄN VĂN AN", an Excel date cell or its serial number) and refuse
what cannot be right (31/02, class 10A in a THCS, a formula), never guessing silently.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from app.models.org import SchoolLevel
from app.models.users import Role
from app.roster.problems import shown_value

MAX_CELL_LENGTH = 200
MAX_NAME_LENGTH = 120  # User.full_name
MAX_CODE_LENGTH = 40  # User.external_code
MAX_CLASS_LENGTH = 10
STUDENT_AGE = range(4, 26)  # ages a THCS (or TH&THCS) student can plausibly be
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 1900 leap-year bug
NAME_PUNCTUATION = frozenset(" '’-.")

GRADES = {
    SchoolLevel.LOWER_SECONDARY: range(6, 10),
    SchoolLevel.PRIMARY_AND_LOWER_SECONDARY: range(1, 10),
    SchoolLevel.PRIMARY: range(1, 6),
    SchoolLevel.PRESCHOOL: range(0),
}

# Role words as schools write them (Vai trò / Chức vụ), folded to ASCII. School-admin rights
# are never granted by a file: a principal listed here becomes a teacher account.
ROLE_WORDS = {
    Role.STUDENT: {"hoc sinh", "hs", "student"},
    Role.TEACHER: {
        "giao vien", "gv", "gvcn", "giao vien chu nhiem", "giao vien bo mon", "to truong",
        "to pho", "tong phu trach", "tong phu trach doi", "hieu truong", "pho hieu truong",
        "teacher",
    },
    Role.STAFF: {
        "nhan vien", "nv", "ke toan", "van thu", "thu vien", "y te", "thiet bi", "bao ve",
        "can bo", "phuc vu", "tap vu", "staff",
    },
}  # fmt: skip
CLASS_PATTERN = re.compile(r"(?P<grade>\d{1,2})(?P<rest>[A-Z][A-Z0-9]*|[/.\-][0-9A-Z]+)?")
CODE_PATTERN = re.compile(r"[A-Za-z0-9._/\-]+")
DMY_PATTERN = re.compile(
    r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?:\s+0{1,2}:00(?::00)?)?"
)
ISO_PATTERN = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?")


class FieldError(Exception):
    """A cell that cannot be read; ``code`` and ``params`` make the preview's message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics ("Đặng Thị Ánh" → "dang thi anh"), for matching."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def name_key(full_name: str) -> str:
    """How two spellings of the same name compare: case and spacing ignored, diacritics kept
    (Lê and Lệ are different people)."""
    return " ".join(unicodedata.normalize("NFC", full_name).casefold().split())


def read_text(value: object) -> str | None:
    """Any cell as clean text: NFC (Windows tools often write decomposed Vietnamese), one
    space between words; None when empty. Formulas and over-long cells are refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        return None
    if text.startswith("="):
        raise FieldError("formula", value=shown_value(text))
    if len(text) > MAX_CELL_LENGTH:
        raise FieldError("too_long", max=MAX_CELL_LENGTH)
    return text


def read_name(value: object) -> str | None:
    if isinstance(value, int | float | datetime | date) and not isinstance(value, bool):
        raise FieldError("not_text", value=shown_value(read_text(value)))
    text = read_text(value)
    if text is None:
        return None
    if len(text) > MAX_NAME_LENGTH:
        raise FieldError("too_long", max=MAX_NAME_LENGTH)
    letters_only = all(unicodedata.category(ch)[0] in "LM" or ch in NAME_PUNCTUATION for ch in text)
    if not letters_only or unicodedata.category(text[0])[0] != "L":
        raise FieldError("name_invalid", value=shown_value(text))
    if text.isupper():  # NGUYỄN VĂN AN → Nguyễn Văn An, as it will be printed on the card
        text = text.title()
    return text


def read_class_name(value: object, level: SchoolLevel) -> tuple[str, int] | None:
    """A class name ("6A1", "lớp 6a1", "6/1") and the grade its leading number gives."""
    text = read_text(value)
    if text is None:
        return None
    compact = text.upper().replace(" ", "")
    if fold(compact).startswith("lop"):
        compact = compact[3:]
    match = CLASS_PATTERN.fullmatch(compact)
    if match is None or len(compact) > MAX_CLASS_LENGTH:
        raise FieldError("class_invalid", value=shown_value(text))
    grade = int(match["grade"])
    grades = GRADES[level]
    if not grades:
        raise FieldError("class_none_for_level")
    if grade not in grades:
        raise FieldError(
            "class_grade", value=compact, grade=grade, grades=f"{grades[0]}–{grades[-1]}"
        )
    return compact, grade


def read_code(value: object) -> str | None:
    """The school's own code for a person (Mã học sinh, Mã giáo viên), upper-cased."""
    text = read_text(value)
    if text is None:
        return None
    if len(text) > MAX_CODE_LENGTH:
        raise FieldError("too_long", max=MAX_CODE_LENGTH)
    if not CODE_PATTERN.fullmatch(text):
        raise FieldError("code_invalid", value=shown_value(text))
    return text.upper()


def read_role(value: object) -> Role:
    """Học sinh / Giáo viên / Nhân viên and their usual variants; empty means a student."""
    text = read_text(value)
    if text is None:
        return Role.STUDENT
    folded = fold(text)
    for role, words in ROLE_WORDS.items():
        if folded in words:
            return role
    raise FieldError("role_unknown", value=shown_value(text))


def read_birth_date(value: object, *, today: date, student: bool) -> date | None:
    """A birth date as Vietnamese spreadsheets hold it: a date cell, an Excel serial number
    or text in day/month/year order (05/09/2013, 5-9-2013, 05.09.2013; ISO also accepted)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = shown_value(value.strftime("%d/%m/%Y") if isinstance(value, date) else value)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _from_serial(value, shown)
    else:
        day = _from_text(read_text(value) or "", shown)
    if day > today:
        raise FieldError("date_future", value=shown)
    if day.year < 1900:
        raise FieldError("date_too_old", value=shown)
    if student:
        age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        if age not in STUDENT_AGE:
            raise FieldError("date_student_age", value=shown, age=age)
    return day


def _from_serial(number: float, shown: str) -> date:
    if not 1 <= number < 2958466:  # 9999-12-31
        raise FieldError("date_format", value=shown)
    return EXCEL_EPOCH + timedelta(days=int(number))


def _from_text(text: str, shown: str) -> date:
    if match := DMY_PATTERN.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := ISO_PATTERN.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise FieldError("date_format", value=shown)
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError("date_impossible", value=shown) from None
