"""Importing a school's roster: preview, confirm, re-import, all or nothing, access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Classroom, Enrollment, ImportStatus, Role, RosterImport, User
from app.models.base import utcnow
from app.roster import card_passwords
from tests.fixtures.roster.flow import ROSTER, YEAR, digest_in, import_file, preview_of, upload
from tests.fixtures.roster.sheets import GOOD_ROWS, csv_bytes, xlsx_bytes


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Classroom, Enrollment)
    )


def class_of(user: User, year: str = YEAR) -> str | None:
    return db.session.scalar(
        sa.select(Classroom.name)
        .join(Enrollment)
        .where(Enrollment.student_id == user.id, Classroom.school_year == year)
    )


def user_named(full_name: str) -> User:
    return db.session.scalars(sa.select(User).where(User.full_name == full_name)).one()


@pytest.fixture
def admin(client, auth, org):
    auth.login("bgh-hai")
    return org.school_admin


@pytest.mark.parametrize(
    ("make_file", "name"), [(xlsx_bytes, "danh-sach.xlsx"), (csv_bytes, "danh-sach.csv")]
)
def test_good_file_is_previewed_then_imported(client, admin, org, make_file, name):
    before = counts()
    location, html = preview_of(client, make_file(), name)
    assert counts() == before  # the preview writes nothing
    assert "Có " not in html.split("Những gì sẽ được lưu")[0]  # no problem list
    assert "an.nguyen.6a1" in html and "Trần Thị Bảo Ngọc" in html

    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})

    classes = {
        c.name: c
        for c in db.session.scalars(
            sa.select(Classroom).where(
                Classroom.school_id == org.school.id, Classroom.school_year == YEAR
            )
        )
    }
    assert set(classes) == {"6A1", "6A2"}
    an = user_named("Nguyễn Minh An")
    assert (an.username, an.role, an.school_id) == ("an.nguyen.6a1", Role.STUDENT, org.school.id)
    assert (an.birth_date, an.birth_year, an.external_code) == (date(2014, 3, 12), 2014, "HS001")
    assert an.must_change_password and an.password_hash.startswith("$argon2")
    assert class_of(an) == "6A1" and class_of(user_named("Lê Gia Hân")) == "6A2"
    assert user_named("Lê Gia Hân").birth_date == date(2014, 4, 1)
    hang, duc = user_named("Vũ Thu Hằng"), user_named("Phạm Văn Đức")
    assert (hang.role, hang.username) == (Role.TEACHER, "gv.hang.vu")
    assert classes["6A1"].homeroom_teacher_id == hang.id
    assert classes["6A2"].homeroom_teacher_id == duc.id
    assert user_named("Hoàng Thị Lan").role == Role.STAFF
    assert counts()[0] == before[0] + 8


def test_the_new_accounts_can_sign_in_and_must_choose_a_password(client, admin, org, auth):
    import_id = import_file(client, xlsx_bytes())
    kept = card_passwords.read(db.session.get(RosterImport, import_id), utcnow())
    an = user_named("Nguyễn Minh An")
    password = next(k.password for k in kept if k.user_id == an.id)
    auth.logout()
    response = auth.login("an.nguyen.6a1", password)
    assert response.headers["Location"].endswith("/account/password")


def test_file_with_errors_lists_every_problem_and_writes_nothing(client, admin):
    rows = [
        [1, "HS001", "Nguyễn Minh An", "31/02/2014", "6A1", "Nam", ""],
        [2, "HS002", "Trần Bình", "01/01/2014", "10A", "Nam", ""],
        [3, "HS003", "Lê Chi", "01/01/2014", "6A1", "Nữ", "=1+1"],
        [4, "HS002", "Trần Bình", "01/01/2014", "6A1", "Nam", ""],
    ]
    before = counts()
    location, html = preview_of(client, csv_bytes(rows, title_rows=[]), "loi.csv")
    assert "Có 4 vấn đề trong tệp. Chưa có gì được lưu." in html
    assert "Dòng 2, cột Ngày sinh (D): “31/02/2014” không phải ngày hợp lệ." in html
    assert "Dòng 3, cột Lớp (E): lớp “10A” thuộc khối 10, trường chỉ có khối 6–9." in html
    assert "Dòng 4, cột Vai trò (G): ô chứa công thức “=1+1”." in html
    assert "Dòng 5, cột Mã học sinh / Mã giáo viên: trùng với dòng 3 (cùng mã HS002)." in html
    assert digest_in(html) is None  # no confirm button
    assert "Tải lên tệp đã sửa" in html

    response = client.post(f"{location}/confirm", data={"plan_digest": "0" * 32})
    assert response.headers["Location"].endswith(location)
    assert counts() == before


def test_reimporting_the_same_file_changes_nothing(client, admin):
    data = xlsx_bytes()
    import_file(client, data)
    before = counts()
    _, html = preview_of(client, data)
    assert "Không có gì thay đổi" in html
    assert "Tệp này đã được nhập lúc" in html
    assert digest_in(html) is None
    assert counts() == before


def test_reimport_updates_moves_and_adds_without_duplicates_or_deletions(client, admin, org):
    import_file(client, xlsx_bytes())
    hs_an = db.session.get(User, org.student.id)  # an older account, not in the file
    changed = [
        GOOD_ROWS[0],
        [2, "HS002", "Trần Thị Bảo Ngọc Anh", "05/11/2014", "6A1", "Nữ", ""],  # name fixed
        [3, "HS003", "Đặng Quốc Huy", "07/01/2014", "6A2", "Nam", ""],  # moved to 6A2
        [4, "HS006", "Mai Phương Thảo", "09/09/2014", "6A2", "Nữ", ""],  # new
        GOOD_ROWS[5],
    ]  # HS004, HS005, Phạm Văn Đức and Hoàng Thị Lan are not in this file
    users_before = counts()[0]
    location, html = preview_of(client, xlsx_bytes(changed))
    assert "Họ tên: Trần Thị Bảo Ngọc → Trần Thị Bảo Ngọc Anh" in html
    assert "Lớp: 6A1 → 6A2" in html
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})

    assert counts()[0] == users_before + 1
    for code in ("HS001", "HS002", "HS003", "HS004", "HS005", "HS006"):
        assert db.session.scalar(sa.select(sa.func.count()).where(User.external_code == code)) == 1
    assert user_named("Trần Thị Bảo Ngọc Anh").username == "ngoc.tran.6a1"  # same account
    huy = user_named("Đặng Quốc Huy")
    assert class_of(huy) == "6A2"
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Enrollment)
            .where(Enrollment.student_id == huy.id)
        )
        == 1
    )  # moved, not enrolled twice
    assert class_of(user_named("Lê Gia Hân")) == "6A2"  # absent from the file: untouched
    assert user_named("Phạm Văn Đức").active
    assert class_of(hs_an, "2025-2026") == "6A1"


def test_students_without_codes_match_by_name_and_birth_date(client, admin):
    header = ["Họ và tên", "Ngày sinh", "Lớp"]
    rows = [["Nguyễn An", "01/02/2014", "6A1"], ["Nguyễn An", "03/04/2014", "6A1"]]
    import_file(client, csv_bytes(rows, header=header, title_rows=[]), "a.csv")
    before = counts()
    rows[1][2] = "6A2"
    location, html = preview_of(client, csv_bytes(rows, header=header, title_rows=[]), "a.csv")
    assert "Lớp: 6A1 → 6A2" in html
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert counts()[0] == before[0]
    twins = db.session.scalars(sa.select(User).where(User.full_name == "Nguyễn An")).all()
    assert sorted(class_of(u) for u in twins) == ["6A1", "6A2"]


def test_older_accounts_without_birth_date_match_by_name_and_class(client, admin, org):
    classroom = Classroom(school_id=org.school.id, name="6A1", grade=6, school_year=YEAR)
    db.session.add(classroom)
    db.session.add(Enrollment(classroom=classroom, student_id=org.student.id))
    db.session.commit()
    rows = [["Trần Minh An", "12/12/2014", "6A1"]]
    before = counts()
    location, html = preview_of(
        client, csv_bytes(rows, header=["Họ và tên", "Ngày sinh", "Lớp"], title_rows=[]), "b.csv"
    )
    assert "Ngày sinh: — → 12/12/2014" in html
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert counts() == before
    assert db.session.get(User, org.student.id).birth_date == date(2014, 12, 12)


def test_homeroom_teacher_column_matches_existing_teacher_or_creates_one(client, admin, org):
    header = ["Họ và tên", "Ngày sinh", "Lớp", "GVCN"]
    rows = [
        ["Nguyễn An", "01/02/2014", "6A1", "Nguyễn Thu Hà"],  # gv-ha, already a teacher here
        ["Trần Bình", "01/02/2014", "6A2", "Lương Văn Tùng"],  # new teacher
        ["Lê Chi", "01/02/2014", "6A2", "Lương Văn Tùng"],
    ]
    import_file(client, csv_bytes(rows, header=header, title_rows=[]), "c.csv")
    classes = {
        c.name: c
        for c in db.session.scalars(sa.select(Classroom).where(Classroom.school_year == YEAR))
    }
    assert classes["6A1"].homeroom_teacher_id == org.teacher.id
    tung = user_named("Lương Văn Tùng")
    assert (tung.role, tung.username, tung.school_id) == (
        Role.TEACHER,
        "gv.tung.luong",
        org.school.id,
    )
    assert classes["6A2"].homeroom_teacher_id == tung.id


def test_a_school_admin_listed_as_teacher_keeps_their_role(client, admin, org):
    admin_user = db.session.get(User, org.school_admin.id)
    admin_user.full_name = "Phạm Hồng Hải"
    db.session.commit()
    rows = [[1, None, admin_user.full_name, None, "6A1", "", "Giáo viên"]]
    import_file(client, xlsx_bytes(rows))
    assert db.session.get(User, admin_user.id).role == Role.SCHOOL_ADMIN
    classroom = db.session.scalars(sa.select(Classroom).where(Classroom.school_year == YEAR)).one()
    assert classroom.homeroom_teacher_id == admin_user.id


def test_staff_listed_as_teacher_becomes_a_teacher(client, admin, org):
    staff = db.session.get(User, org.staff.id)
    staff.full_name = "Hoàng Thị Lan"
    db.session.commit()
    rows = [[1, None, "Hoàng Thị Lan", None, "6A1", "", "Giáo viên"]]
    location, html = preview_of(client, xlsx_bytes(rows))
    assert "Vai trò: nhân viên → giáo viên" in html
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert db.session.get(User, staff.id).role == Role.TEACHER


def test_generated_usernames_are_unique_even_on_collisions(client, admin, org, make):
    make.user(Role.STUDENT, org.other_school, username="an.nguyen.6a1")
    rows = [
        [1, None, "Nguyễn Minh An", "01/01/2014", "6A1", "", ""],
        [2, None, "Nguyễn Văn An", "02/02/2014", "6A1", "", ""],
        [3, None, "Nguyễn Thị An", "03/03/2014", "6A1", "", ""],
    ]
    import_file(client, xlsx_bytes(rows))
    names = set(
        db.session.scalars(sa.select(User.username).where(User.username.like("an.nguyen.6a1%")))
    )
    assert names == {"an.nguyen.6a1", "an.nguyen.6a1.2", "an.nguyen.6a1.3", "an.nguyen.6a1.4"}


def test_a_write_failure_leaves_the_database_unchanged(client, admin, monkeypatch):
    location, html = preview_of(client, xlsx_bytes())
    before = counts()
    real_flush = db.session.flush
    flushes = []

    def flush_then_fail(*args, **kwargs):
        real_flush(*args, **kwargs)
        flushes.append(1)
        if len(flushes) == 2:  # the last step: accounts and enrolments are already inserted
            assert counts()[0] > before[0]
            raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "flush", flush_then_fail)
    response = client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    monkeypatch.undo()

    assert len(flushes) == 2
    assert response.headers["Location"].endswith(location)
    assert "Không lưu được danh sách. Chưa có gì thay đổi" in client.get(location).get_data(
        as_text=True
    )
    assert counts() == before
    roster_import = db.session.get(RosterImport, int(location.rsplit("/", 1)[1]))
    assert roster_import.status == ImportStatus.PENDING  # the admin can simply try again
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert counts()[0] == before[0] + 8


def test_a_change_between_preview_and_confirm_shows_the_preview_again(client, admin, make, org):
    location, html = preview_of(client, xlsx_bytes())
    make.user(Role.STUDENT, org.other_school, username="an.nguyen.6a1")  # taken meanwhile
    before = counts()
    response = client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert response.headers["Location"].endswith(location)
    html = client.get(location).get_data(as_text=True)
    assert "Dữ liệu của trường vừa thay đổi" in html and "an.nguyen.6a1.2" in html
    assert counts() == before
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert user_named("Nguyễn Minh An").username == "an.nguyen.6a1.2"


def test_confirming_twice_imports_once(client, admin):
    location, html = preview_of(client, xlsx_bytes())
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    after_first = counts()
    response = client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert response.headers["Location"].endswith("/result")
    assert counts() == after_first


def test_an_expired_preview_cannot_be_confirmed(client, admin):
    location, html = preview_of(client, xlsx_bytes())
    roster_import = db.session.get(RosterImport, int(location.rsplit("/", 1)[1]))
    roster_import.expires_at -= timedelta(days=2)
    db.session.commit()
    import_id = roster_import.id
    before = counts()
    response = client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    assert response.headers["Location"].endswith(ROSTER)
    assert "đã hết hạn" in client.get(ROSTER).get_data(as_text=True)
    assert counts() == before
    assert db.session.get(RosterImport, import_id) is None  # purged


def test_discarding_an_upload_keeps_nothing(client, admin):
    location, _ = preview_of(client, xlsx_bytes())
    response = client.post(f"{location}/discard")
    assert response.headers["Location"].endswith(ROSTER)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def test_importing_into_next_school_year(client, admin, org):
    start = int(YEAR[:4]) + 1
    next_year = f"{start}-{start + 1}"
    import_file(client, xlsx_bytes(), year=next_year)
    assert class_of(user_named("Nguyễn Minh An"), next_year) == "6A1"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "rong.csv", "Tệp trống"),
        (b"%PDF-1.4 ...", "ds.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "cu.xlsx", "Excel kiểu cũ"),
        ("Tên,Tuổi\nAn,12\n".encode(), "x.csv", "Không tìm thấy dòng tiêu đề"),
    ],
)
def test_unusable_uploads_get_a_clear_message_on_the_form(client, admin, data, name, message):
    response = upload(client, data, name)
    assert response.status_code == 400  # refused: a 4xx (issue 11, bad input rule)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def test_a_file_over_5_mb_gets_the_size_message(client, admin):
    # The body is built by hand: the test client would spool it to a temporary file that it
    # never closes, which pytest reports as a leak.
    boundary = "----roster"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="roster_file"; '
            f'filename="lon.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + b"x" * (5 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        ROSTER, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "vượt quá 5 MB" in response.get_data(as_text=True)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_example_files_import_cleanly(client, admin, file_format):
    response = client.get(f"{ROSTER}example.{file_format}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    _, html = preview_of(client, response.data, f"mau.{file_format}")
    assert "vấn đề trong tệp" not in html
    assert digest_in(html)


def test_example_csv_opens_in_excel_as_utf8(client, admin):
    assert client.get(f"{ROSTER}example.csv").data.startswith(b"\xef\xbb\xbf")
    assert client.get(f"{ROSTER}example.txt").status_code == 404


def test_teachers_and_other_roles_cannot_import(client, auth, org):
    for username in ("gv-ha", "hs-an", "nv-lan", "phuong-khoa", "quan-tri", "ph-mai"):
        auth.login(username)
        assert client.get(ROSTER).status_code == 403, username
        assert upload(client, xlsx_bytes()).status_code == 403, username
        auth.logout()


def test_an_upload_belongs_to_its_admin_and_school(client, auth, org, make):
    auth.login("bgh-hai")
    location, html = preview_of(client, xlsx_bytes())
    auth.logout()
    colleague = make.user(Role.SCHOOL_ADMIN, org.school, username="bgh-pho")
    for username in ("bgh-khac", colleague.username):
        auth.login(username)
        assert client.get(location).status_code == 403
        response = client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
        assert response.status_code == 403
        auth.logout()
    auth.login("bgh-hai")
    client.post(f"{location}/confirm", data={"plan_digest": digest_in(html)})
    auth.logout()
    auth.login(colleague.username)  # once confirmed, the school's admins may see it
    assert client.get(f"{location}/result").status_code == 200
    auth.logout()
    auth.login("bgh-khac")
    assert client.get(f"{location}/result").status_code == 403


def test_an_upload_waiting_in_preview_is_listed_for_its_admin(client, admin):
    location, _ = preview_of(client, xlsx_bytes(), "cho-xac-nhan.xlsx")
    html = client.get(ROSTER).get_data(as_text=True)
    assert "Tệp đang chờ bạn xác nhận" in html and f'href="{location}"' in html


def test_namesakes_that_cannot_be_told_apart_are_a_problem(client, admin, org, make):
    for username in ("trung-ten-1", "trung-ten-2"):
        make.user(Role.STUDENT, org.school, username=username, full_name="Ngô Bảo Châu",
                  birth_date=date(2014, 1, 1))  # fmt: skip
    teacher_twin = make.user(Role.TEACHER, org.school, full_name="Nguyễn Thu Hà")  # as gv-ha
    header = ["Họ và tên", "Ngày sinh", "Lớp", "Vai trò"]
    rows = [
        ["Ngô Bảo Châu", "01/01/2014", "6A1", ""],
        ["Nguyễn Thu Hà", "", "6A1", "Giáo viên"],
    ]
    before = counts()
    _, html = preview_of(client, csv_bytes(rows, header=header, title_rows=[]), "d.csv")
    assert (
        "Dòng 2, cột Họ và tên: trường đã có 2 người tên “Ngô Bảo Châu”, không biết là ai." in html
    )
    assert "Dòng 3, cột Họ và tên: trường đã có 2 người tên “Nguyễn Thu Hà”" in html
    assert digest_in(html) is None
    assert counts() == before and teacher_twin.role == Role.TEACHER
