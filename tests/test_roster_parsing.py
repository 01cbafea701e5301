"""Reading roster files: header detection, Vietnamese values, every problem by row and column."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from app.models import Role, SchoolLevel
from app.roster.fields import FieldError, fold, read_birth_date, read_class_name, read_name
from app.roster.parsing import normalise_header, parse_roster
from app.roster.spreadsheet import MAX_DATA_ROWS, RosterFileError, read_sheets
from app.roster.usernames import base_username
from tests.fixtures.roster.sheets import GOOD_ROWS, csv_bytes, xlsx_bytes

TODAY = date(2026, 9, 15)
THCS = SchoolLevel.LOWER_SECONDARY


def parse(data: bytes, level=THCS):
    return parse_roster(read_sheets(data), level, TODAY)


def messages(parsed) -> list[str]:
    return [p.message() for p in parsed.problems]


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("make_file", [xlsx_bytes, csv_bytes], ids=["xlsx", "csv"])
def test_good_file_reads_every_person(make_file):
    parsed = parse(make_file())
    assert parsed.problems == []
    students = [r for r in parsed.rows if r.role == Role.STUDENT]
    assert [s.full_name for s in students] == [
        "Nguyễn Minh An", "Trần Thị Bảo Ngọc", "Đặng Quốc Huy", "Lê Gia Hân", "Đỗ Đức Anh",
    ]  # fmt: skip
    assert [s.birth_date for s in students] == [
        date(2014, 3, 12), date(2014, 11, 5), date(2014, 1, 7), date(2014, 4, 1),
        date(2013, 12, 30),
    ]  # fmt: skip
    assert [s.class_name for s in students] == ["6A1", "6A1", "6A1", "6A2", "6A2"]
    assert students[0].code == "HS001" and students[0].row == 5  # after 3 title lines + header
    teachers = {r.full_name: r for r in parsed.rows if r.role == Role.TEACHER}
    assert teachers["Vũ Thu Hằng"].class_name == "6A1"
    assert teachers["Phạm Văn Đức"].class_name == "6A2"
    assert [r.full_name for r in parsed.rows if r.role == Role.STAFF] == ["Hoàng Thị Lan"]
    assert parsed.ignored_columns == ["STT", "Giới tính"]


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 has the vowels with hats and horns but writes tone marks as separate
    combining characters, as old Vietnamese Windows tools did."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_csv_with_semicolons_and_windows_1258_encoding():
    text = "STT;Họ và tên;Ngày sinh;Lớp\n1;Nguyễn Thị Ánh;02/03/2014;6A1\n"
    data = encode_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse(data)
    assert [r.full_name for r in parsed.rows] == ["Nguyễn Thị Ánh"]


def test_decomposed_vietnamese_is_normalised_to_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    data = f"Họ tên,Ngày sinh,Lớp\n{decomposed},02/03/2014,6a1\n".encode()
    row = parse(data).rows[0]
    assert row.full_name == "Nguyễn Thị Ánh" and row.full_name != decomposed
    assert row.class_name == "6A1"


def test_utf16_tab_separated_excel_unicode_text():
    data = "Họ và tên\tNgày sinh\tLớp\r\nLê Văn Tám\t01/01/2014\t6A1\r\n".encode("utf-16")
    assert [r.full_name for r in parse(data).rows] == ["Lê Văn Tám"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("HỌ VÀ TÊN", "full_name"),
        ("Họ tên học sinh", "full_name"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("NGÀY THÁNG NĂM SINH", "birth_date"),
        ("Lớp:", "class_name"),
        ("Mã HS", "code"),
        ("GVCN", "homeroom_teacher"),
        ("Chức vụ", "role"),
    ],
)
def test_header_variants(header, field):
    from app.roster.parsing import ALIAS_TO_FIELD

    assert ALIAS_TO_FIELD[normalise_header(header)] == field


def test_split_family_and_given_name_columns():
    data = "Họ đệm,Tên,Ngày sinh,Lớp\nNguyễn Văn,An,01/02/2014,6A1\n".encode()
    assert parse(data).rows[0].full_name == "Nguyễn Văn An"


def test_citizen_id_column_is_not_read():
    data = "Họ và tên,Số CCCD,Ngày sinh,Lớp\nNguyễn An,001234567890,01/02/2014,6A1\n".encode()
    parsed = parse(data)
    assert parsed.rows[0].code is None
    assert "Số CCCD" in parsed.ignored_columns


def test_file_with_errors_reports_every_problem_with_row_and_column():
    rows = [
        [1, "HS001", "Nguyễn Minh An", "31/02/2014", "6A1", "Nam", ""],
        [2, "HS002", "Trần Bình", "12/13/2014", "10A", "Nam", ""],
        [3, "HS003", '=HYPERLINK("x")', "01/01/2014", "6A1", "Nam", ""],
        [4, "HS004", "Lê Chi", "hôm qua", "6A1", "Nữ", ""],
        [5, "HS005", "Phạm Dũng", "01/01/2030", "6A1", "Nam", ""],
        [6, "HS006", "Vũ Em", "01/01/1990", "6A1", "Nam", ""],
        [7, "HS001", "Nguyễn Minh An", "12/03/2014", "6A1", "Nam", ""],
        [8, "HS 8", "Hoàng Giang", "01/01/2014", "", "Nữ", ""],
        [9, None, "Ngô Hà", "01/01/2014", "6A1", "Nữ", "Phụ huynh"],
        [10, None, "X" * 130, "01/01/2014", "6A1", "Nữ", ""],
        [11, None, "Đinh Khoa", "01/01/2014", "Sáu A", "Nam", ""],
        [12, None, "Bùi Long", "01/01/2014", "6A1", "Nam", "Nhân viên"],
    ]
    parsed = parse(xlsx_bytes(rows, title_rows=[]))
    assert messages(parsed) == [
        "Dòng 2, cột Ngày sinh (D): “31/02/2014” không phải ngày hợp lệ.",
        "Dòng 3, cột Ngày sinh (D): “12/13/2014” không phải ngày hợp lệ.",
        "Dòng 3, cột Lớp (E): lớp “10A” thuộc khối 10, trường chỉ có khối 6–9.",
        'Dòng 4, cột Họ và tên (C): ô chứa công thức “=HYPERLINK("x")”. '
        "Hãy dán giá trị (Paste Values) thay cho công thức.",
        "Dòng 5, cột Ngày sinh (D): “hôm qua” không đúng dạng ngày/tháng/năm (ví dụ 05/09/2013).",
        "Dòng 6, cột Ngày sinh (D): “01/01/2030” là một ngày trong tương lai.",
        "Dòng 7, cột Ngày sinh (D): “01/01/1990”: học sinh sẽ 36 tuổi, không hợp lý. "
        "Hãy kiểm tra năm sinh.",
        "Dòng 9, cột Mã học sinh / Mã giáo viên (B): “HS 8” không phải mã hợp lệ "
        "(chỉ gồm chữ không dấu, chữ số và . _ / -).",
        "Dòng 9, cột Lớp (E): còn trống, cần điền.",
        "Dòng 10, cột Vai trò (G): “Phụ huynh” không rõ là vai trò nào. "
        "Hãy ghi Học sinh, Giáo viên hoặc Nhân viên.",
        "Dòng 11, cột Họ và tên (C): nội dung dài quá 120 ký tự.",
        "Dòng 12, cột Lớp (E): “Sáu A” không phải tên lớp (ví dụ đúng: 6A1, 7A, 8/2).",
        "Dòng 13, cột Lớp (E): nhân viên không làm giáo viên chủ nhiệm; hãy ghi vai trò Giáo viên.",
        "Dòng 8, cột Mã học sinh / Mã giáo viên: trùng với dòng 2 (cùng mã HS001). "
        "Hãy xoá một trong hai dòng.",
    ]  # row 2 has a bad date, yet row 8 is reported now, not after row 2 is fixed
    assert parsed.rows == []


def test_duplicate_rows_are_reported_on_the_later_row():
    rows = [
        [1, "HS001", "Nguyễn Minh An", "12/03/2014", "6A1", "Nam", ""],
        [2, "HS001", "Nguyễn Minh Ân", "12/03/2014", "6A2", "Nam", ""],
        [3, None, "Lê Chi", "01/01/2014", "6A1", "Nữ", ""],
        [4, None, "LÊ CHI", "01/01/2014", "6A2", "Nữ", ""],
        [5, None, "Lê Chi", "02/01/2014", "6A2", "Nữ", ""],  # another Lê Chi: other birthday
        [6, None, "Vũ Hằng", None, "6A1", "Nữ", "Giáo viên"],
        [7, None, "Vũ Hằng", None, "", "Nữ", "Giáo viên"],
    ]
    parsed = parse(csv_bytes(rows, title_rows=[]))
    assert messages(parsed) == [
        "Dòng 3, cột Mã học sinh / Mã giáo viên: trùng với dòng 2 (cùng mã HS001). "
        "Hãy xoá một trong hai dòng.",
        "Dòng 5, cột Họ và tên: trùng với dòng 4 (cùng họ tên và ngày sinh). "
        "Hãy xoá một trong hai dòng.",
        "Dòng 8, cột Họ và tên: trùng với dòng 7 (cùng họ tên, không có mã hay ngày sinh để "
        "phân biệt). Hãy xoá một trong hai dòng hoặc thêm mã giáo viên.",
    ]
    assert [r.row for r in parsed.rows] == [2, 4, 6, 7]


def test_two_homeroom_teachers_for_one_class_is_a_problem():
    header = ["Họ và tên", "Ngày sinh", "Lớp", "Giáo viên chủ nhiệm"]
    rows = [
        ["Nguyễn An", "01/01/2014", "6A1", "Vũ Thu Hằng"],
        ["Trần Bình", "01/02/2014", "6A1", "vũ thu hằng"],
        ["Lê Chi", "01/03/2014", "6A1", "Phạm Đức"],
    ]
    parsed = parse(csv_bytes(rows, header=header, title_rows=[]))
    assert messages(parsed) == [
        "Dòng 4, cột Giáo viên chủ nhiệm: lớp 6A1 đã có giáo viên chủ nhiệm “Vũ Thu Hằng” ở "
        "dòng 2, nay lại ghi “Phạm Đức”. Mỗi lớp chỉ một giáo viên chủ nhiệm."
    ]


def test_several_sheets_locate_problems_by_sheet():
    header = ["Họ và tên", "Ngày sinh", "Lớp"]
    data = xlsx_bytes(
        [["Nguyễn An", "01/01/2014", "6A1"]],
        header=header,
        title_rows=[],
        extra_sheets={
            "6A2": [header, ["Trần Bình", "40/01/2014", "6A2"]],
            "Ghi chú": [["Danh sách do cô Hằng lập"]],
        },
    )
    parsed = parse(data)
    assert messages(parsed) == [
        "Trang “6A2”, Dòng 2, cột Ngày sinh (B): “40/01/2014” không phải ngày hợp lệ."
    ]
    assert parsed.ignored_sheets == ["Ghi chú"]


def test_footer_and_blank_rows_are_skipped():
    rows = [*GOOD_ROWS[:2], [None] * 7, ["Tổng số: 2 học sinh"], [None, None, None, None, None]]
    assert len(parse(xlsx_bytes(rows)).rows) == 2


def test_teacher_only_list_needs_no_birth_date_or_class_column():
    data = "Họ và tên,Chức vụ\nVũ Thu Hằng,Giáo viên\nLê Lan,Kế toán\n".encode()
    parsed = parse(data)
    assert [(r.full_name, r.role) for r in parsed.rows] == [
        ("Vũ Thu Hằng", Role.TEACHER),
        ("Lê Lan", Role.STAFF),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp trống"),
        (b"   \r\n ", "Tệp trống"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "tệp Excel kiểu cũ (.xls)"),
        (b"PK\x03\x04garbage", "Không đọc được tệp này"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Không đọc được tệp này"),
        ("Tên,Tuổi\nAn,12\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ("Họ và tên,Lớp\nAn,6A1\n".encode(), "Thiếu cột “Ngày sinh”"),
        ("Họ và tên,Ngày sinh\nAn,01/01/2014\n".encode(), "Thiếu cột “Lớp”"),
        ("Họ và tên,Ngày sinh,Lớp\n".encode(), "Tệp chỉ có dòng tiêu đề"),
    ],
    ids=[
        "empty",
        "blank",
        "xls",
        "broken-zip",
        "png",
        "no-header",
        "no-birth",
        "no-class",
        "header-only",
    ],  # fmt: skip
)
def test_unusable_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(RosterFileError) as error:
        parse(data)
    assert message in str(error.value)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(RosterFileError, match="Không đọc được tệp này"):
        parse(buffer.getvalue())


def test_too_many_rows_is_refused():
    lines = ["Họ và tên,Ngày sinh,Lớp"] + ["An,01/01/2014,6A1"] * (MAX_DATA_ROWS + 1)
    with pytest.raises(RosterFileError, match="quá nhiều dòng"):
        parse("\n".join(lines).encode())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/09/2013", date(2013, 9, 5)),
        ("5/9/2013", date(2013, 9, 5)),
        ("05-09-2013", date(2013, 9, 5)),
        ("05.09.2013", date(2013, 9, 5)),
        ("2013-09-05", date(2013, 9, 5)),
        ("05/09/2013 00:00:00", date(2013, 9, 5)),
        (datetime(2013, 9, 5), date(2013, 9, 5)),
        (41522, date(2013, 9, 5)),
        (41522.0, date(2013, 9, 5)),
    ],
)
def test_birth_dates_in_vietnamese_formats(value, expected):
    assert read_birth_date(value, today=TODAY, student=True) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("29/02/2013", "date_impossible"),
        ("00/01/2013", "date_impossible"),
        ("05/09/13", "date_format"),
        ("05/09-2013", "date_format"),
        (-5, "date_format"),
        (True, "date_format"),
    ],
)
def test_impossible_birth_dates(value, code):
    with pytest.raises(FieldError) as error:
        read_birth_date(value, today=TODAY, student=True)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6A1", ("6A1", 6)),
        ("lớp 7a2", ("7A2", 7)),
        ("Lớp 8 A", ("8A", 8)),
        ("9/1", ("9/1", 9)),
        (6, ("6", 6)),
    ],
)
def test_class_names(value, expected):
    assert read_class_name(value, THCS) == expected


@pytest.mark.parametrize("value", ["10A", "5A1", "61", "A6", "6Đ", "6A1 (sáng)", "6A1234567890"])
def test_invalid_class_names_for_a_thcs(value):
    with pytest.raises(FieldError):
        read_class_name(value, THCS)


def test_primary_and_lower_secondary_school_accepts_grades_1_to_9():
    assert read_class_name("3A", SchoolLevel.PRIMARY_AND_LOWER_SECONDARY) == ("3A", 3)


def test_names_keep_diacritics_and_lose_shouting():
    assert read_name("  NGUYỄN   VĂN  ÁNH ") == "Nguyễn Văn Ánh"
    assert read_name("Lê Thị Đào") == "Lê Thị Đào"
    for bad in ["123", "An2", "@An", "-An", "+84 912"]:
        with pytest.raises(FieldError):
            read_name(bad)


def test_ascii_folding_for_usernames():
    assert fold("Đặng Thị Ánh Tuyết") == "dang thi anh tuyet"
    assert base_username("Đặng Thị Ánh Tuyết", Role.STUDENT, "6A1") == "tuyet.dang.6a1"
    assert base_username("Trần Minh An", Role.STUDENT, "9/1") == "an.tran.9-1"
    assert base_username("Nguyễn Thu Hà", Role.TEACHER, None) == "gv.ha.nguyen"
    assert base_username("Lê Lan", Role.STAFF, None) == "nv.lan.le"
