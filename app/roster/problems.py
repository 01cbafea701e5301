"""What can be wrong in a roster file, and where, in words a school secretary can act on.

A problem is stored as a code plus parameters (in the pending import) and put into words
only when shown, so the preview follows the reader's language. Every message says what
was found and what to do; the location gives the sheet (when there are several), the row
and the column, both by its name and by its letter as Excel shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "code": _l("Mã học sinh / Mã giáo viên"),
    "full_name": _l("Họ và tên"),
    "family_name": _l("Họ đệm"),
    "given_name": _l("Tên"),
    "birth_date": _l("Ngày sinh"),
    "class_name": _l("Lớp"),
    "role": _l("Vai trò"),
    "homeroom_teacher": _l("Giáo viên chủ nhiệm"),
    "homeroom_class": _l("Lớp chủ nhiệm"),
}

MESSAGES = {
    # One cell
    "formula": _l(
        "ô chứa công thức “%(value)s”. Hãy dán giá trị (Paste Values) thay cho công thức."
    ),
    "too_long": _l("nội dung dài quá %(max)d ký tự."),
    "required": _l("còn trống, cần điền."),
    "name_invalid": _l(
        "“%(value)s” không giống họ tên (chỉ gồm chữ cái và dấu cách, bắt đầu bằng chữ cái)."
    ),
    "class_invalid": _l("“%(value)s” không phải tên lớp (ví dụ đúng: 6A1, 7A, 8/2)."),
    "class_grade": _l("lớp “%(value)s” thuộc khối %(grade)d, trường chỉ có khối %(grades)s."),
    "class_none_for_level": _l("trường mầm non không chia khối lớp nên không nhập được lớp."),
    "date_format": _l("“%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 05/09/2013)."),
    "date_impossible": _l("“%(value)s” không phải ngày hợp lệ."),
    "date_future": _l("“%(value)s” là một ngày trong tương lai."),
    "date_too_old": _l("“%(value)s” quá xa (trước năm 1900)."),
    "date_student_age": _l(
        "“%(value)s”: học sinh sẽ %(age)d tuổi, không hợp lý. Hãy kiểm tra năm sinh."
    ),
    "code_invalid": _l(
        "“%(value)s” không phải mã hợp lệ (chỉ gồm chữ không dấu, chữ số và . _ / -)."
    ),
    "role_unknown": _l(
        "“%(value)s” không rõ là vai trò nào. Hãy ghi Học sinh, Giáo viên hoặc Nhân viên."
    ),
    "not_text": _l("“%(value)s” phải là chữ."),
    # One row
    "staff_homeroom": _l("nhân viên không làm giáo viên chủ nhiệm; hãy ghi vai trò Giáo viên."),
    "duplicate_code": _l(
        "trùng với dòng %(other)s (cùng mã %(code)s). Hãy xoá một trong hai dòng."
    ),
    "duplicate_name_birth": _l(
        "trùng với dòng %(other)s (cùng họ tên và ngày sinh). Hãy xoá một trong hai dòng."
    ),
    "duplicate_name": _l(
        "trùng với dòng %(other)s (cùng họ tên, không có mã hay ngày sinh để phân biệt). "
        "Hãy xoá một trong hai dòng hoặc thêm mã giáo viên."
    ),
    "homeroom_conflict": _l(
        "lớp %(class_name)s đã có giáo viên chủ nhiệm “%(first)s” ở dòng %(other)s, "
        "nay lại ghi “%(second)s”. Mỗi lớp chỉ một giáo viên chủ nhiệm."
    ),
    "ambiguous_match": _l(
        "trường đã có %(count)d người tên “%(value)s”, không biết là ai. "
        "Hãy thêm cột mã (Mã học sinh / Mã giáo viên) hoặc ngày sinh."
    ),
    "same_person_twice": _l(
        "dòng này và dòng %(other)s cùng trỏ tới %(name)s (%(username)s) đã có trong hệ thống."
    ),
    "homeroom_not_teacher": _l(
        "“%(value)s” là nhân viên trong hệ thống, không làm giáo viên chủ nhiệm được."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix in the file before anything can be imported."""

    code: str
    row: int | None = None
    column: str | None = None  # a key of FIELD_LABELS
    letter: str | None = None  # the spreadsheet column, e.g. "D"
    sheet: str | None = None  # only set when the workbook has several sheets with data
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(**data)

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("Trang “%(sheet)s”", sheet=self.sheet))
        if self.row is not None:
            parts.append(_("Dòng %(row)d", row=self.row))
        if self.column:
            label = str(FIELD_LABELS.get(self.column, self.column))
            if self.letter:
                parts.append(_("cột %(label)s (%(letter)s)", label=label, letter=self.letter))
            else:
                parts.append(_("cột %(label)s", label=label))
        return ", ".join(parts)

    def message(self) -> str:
        text = str(MESSAGES[self.code]) % self.params
        location = self.location()
        return f"{location}: {text}" if location else text[:1].upper() + text[1:]

    def __str__(self) -> str:
        return self.message()


def shown_value(value: object, limit: int = 40) -> str:
    """A cell's content as it may appear inside a message: one line, cut if long."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
