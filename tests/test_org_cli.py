"""``flask --app app org …``: a city set up by command, idempotent, and bad input refused
with a message naming what and where, nothing half-made."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.services import authenticate
from app.extensions import db
from app.models import Province, Role, School, SchoolLevel, User, Ward
from app.models.audit import AuditEvent


def _run(runner, *args):
    return runner.invoke(args=["org", *args])


def _counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Province, Ward, School, User)
    )


def _setup_city(runner):
    assert _run(runner, "add-province", "Hải Phòng").exit_code == 0
    assert _run(runner, "add-ward", "--province", "Hải Phòng", "Phường Thủy Nguyên").exit_code == 0
    result = _run(runner, "add-school", "--ward", "Phường Thủy Nguyên", "--level", "thcs",
                  "Trường THCS Dương Quan")  # fmt: skip
    assert result.exit_code == 0, result.output


def test_the_exact_commands_build_a_city_and_running_them_twice_changes_nothing(runner):
    _setup_city(runner)
    school = db.session.scalar(sa.select(School))
    assert school.name == "Trường THCS Dương Quan"
    assert school.level == SchoolLevel.LOWER_SECONDARY
    assert school.ward.name == "Phường Thủy Nguyên"
    assert school.ward.province.name == "Hải Phòng"
    before = _counts()

    again = [
        _run(runner, "add-province", "Hải Phòng"),
        _run(runner, "add-ward", "--province", "Hải Phòng", "Phường Thủy Nguyên"),
        _run(runner, "add-school", "--ward", "Phường Thủy Nguyên", "--level", "thcs",
             "Trường THCS Dương Quan"),
        # the same name typed differently is the same place
        _run(runner, "add-province", "  hải   PHÒNG "),
    ]  # fmt: skip
    for result in again:
        assert result.exit_code == 0, result.output
        assert "Không thay đổi gì" in result.output
    assert _counts() == before


def test_add_user_prints_the_one_time_password_alone_on_the_last_line(runner, client):
    _setup_city(runner)
    result = _run(runner, "add-user", "--role", "school-admin", "--school",
                  "Trường THCS Dương Quan", "--username", "ht.duongquan",
                  "--name", "Phạm Hồng Hải")  # fmt: skip
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1]
    assert " " not in password and len(password) >= 12
    user = db.session.scalar(sa.select(User).where(User.username == "ht.duongquan"))
    assert user.role == Role.SCHOOL_ADMIN and user.school.name == "Trường THCS Dương Quan"
    assert user.must_change_password
    assert authenticate("ht.duongquan", password) is not None
    (event,) = db.session.scalars(sa.select(AuditEvent)).all()
    assert event.action == "org.account_created" and event.target_user_id == user.id
    assert event.actor_id is None and event.detail == {"role": "school_admin", "via": "command"}
    assert event.school_id == user.school_id
    assert password not in str(event.detail)

    # the first sign-in leads to choosing a password of one's own
    response = client.post("/login", data={"username": "ht.duongquan", "password": password})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/password")

    again = _run(runner, "add-user", "--role", "school-admin", "--school",
                 "Trường THCS Dương Quan", "--username", "ht.duongquan",
                 "--name", "Phạm Hồng Hải")  # fmt: skip
    assert again.exit_code == 0
    assert "Không thay đổi gì" in again.output
    assert authenticate("ht.duongquan", password) is not None  # the password still works


def test_every_role_by_command(runner):
    _setup_city(runner)
    cases = [
        ("admin", [], "quantri", None),
        ("city", ["--province", "Hải Phòng"], "so.haiphong", "province"),
        ("ward", ["--ward", "Phường Thủy Nguyên"], "phuong.tn", "ward"),
    ]
    for role_name, scope, username, attribute in cases:
        result = _run(runner, "add-user", "--role", role_name, *scope, "--username", username,
                      "--name", "Nguyễn Văn Bình")  # fmt: skip
        assert result.exit_code == 0, result.output
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if attribute:
            assert getattr(user, attribute) is not None
    roles = set(db.session.scalars(sa.select(User.role)))
    assert roles == {Role.ADMIN, Role.CITY_OFFICER, Role.WARD_OFFICER}


def test_unknown_province_ward_or_school_is_named_and_nothing_is_made(runner):
    _setup_city(runner)
    before = _counts()
    cases = [
        (["add-ward", "--province", "Hà Nội", "Phường Ba Đình"], "Hà Nội"),
        (["add-school", "--ward", "Phường Không Có", "--level", "thcs", "Trường X"],
         "Phường Không Có"),
        (["add-school", "--ward", "Phường Thủy Nguyên", "--level", "dai-hoc", "Trường X"],
         "dai-hoc"),
        (["add-user", "--role", "ward", "--ward", "Phường Không Có", "--username", "abc",
          "--name", "A B"], "Phường Không Có"),
        (["add-user", "--role", "city", "--province", "Đà Nẵng", "--username", "abc",
          "--name", "A B"], "Đà Nẵng"),
        (["add-user", "--role", "school-admin", "--school", "Trường Không Có", "--username",
          "abc", "--name", "A B"], "Trường Không Có"),
    ]  # fmt: skip
    for args, named in cases:
        result = _run(runner, *args)
        assert result.exit_code == 1, (args, result.output)
        assert named in result.output
    assert _counts() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_bad_usernames_and_taken_usernames_are_refused(runner):
    _setup_city(runner)
    before = _counts()
    for username, named in [("quản trị", "“ả”"), ("ha noi", "dấu cách"), ("ab", "từ 3")]:
        result = _run(runner, "add-user", "--role", "admin", "--username", username,
                      "--name", "Quản Trị")  # fmt: skip
        assert result.exit_code == 1
        assert named in result.output
    assert _counts() == before

    assert _run(runner, "add-user", "--role", "admin", "--username", "quantri",
                "--name", "Quản Trị").exit_code == 0  # fmt: skip
    taken = _run(runner, "add-user", "--role", "ward", "--ward", "Phường Thủy Nguyên",
                 "--username", "QuanTri", "--name", "Người Khác")  # fmt: skip
    assert taken.exit_code == 1
    assert "“quantri” đã có người dùng" in taken.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_a_school_named_twice_at_another_level_is_refused(runner):
    _setup_city(runner)
    result = _run(runner, "add-school", "--ward", "Phường Thủy Nguyên", "--level", "tieu_hoc",
                  "trường thcs dương quan")  # fmt: skip
    assert result.exit_code == 1
    assert "Trường THCS Dương Quan" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(School)) == 1


def test_a_ward_of_the_same_name_in_two_provinces_needs_the_province(runner):
    _setup_city(runner)
    _run(runner, "add-province", "Quảng Ninh")
    assert _run(runner, "add-ward", "--province", "Quảng Ninh", "Phường Thủy Nguyên").exit_code == 0
    ambiguous = _run(runner, "add-school", "--ward", "Phường Thủy Nguyên", "--level", "thcs",
                     "Trường THCS Mới")  # fmt: skip
    assert ambiguous.exit_code == 1 and "--province" in ambiguous.output
    chosen = _run(runner, "add-school", "--ward", "Phường Thủy Nguyên", "--province",
                  "Quảng Ninh", "--level", "thcs", "Trường THCS Mới")  # fmt: skip
    assert chosen.exit_code == 0, chosen.output
    school = db.session.scalar(sa.select(School).where(School.name == "Trường THCS Mới"))
    assert school.ward.province.name == "Quảng Ninh"


def test_a_ward_made_before_provinces_is_attached_not_duplicated(runner, make):
    old = make.ward("Phường Thủy Nguyên")
    _run(runner, "add-province", "Hải Phòng")
    result = _run(runner, "add-ward", "--province", "Hải Phòng", "Phường Thủy Nguyên")
    assert result.exit_code == 0
    wards = db.session.scalars(sa.select(Ward)).all()
    assert [w.id for w in wards] == [old.id]
    assert wards[0].province.name == "Hải Phòng"


def test_reset_password_by_command_for_a_site_admin(runner, make, client):
    admin = make.user(Role.ADMIN, username="quantri")
    old_nonce = admin.session_nonce
    result = _run(runner, "reset-password", "--username", "quantri")
    assert result.exit_code == 0
    password = result.output.strip().splitlines()[-1]
    db.session.refresh(admin)
    assert admin.must_change_password and admin.session_nonce != old_nonce
    assert authenticate("quantri", password) is not None
    assert authenticate("quantri", make.PASSWORD) is None
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.target_user_id) == ("auth.password_reset", admin.id)

    unknown = _run(runner, "reset-password", "--username", "khong-co")
    assert unknown.exit_code == 1 and "khong-co" in unknown.output
