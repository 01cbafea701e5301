"""``flask --app app org …``: the organisation by command, for scripted roll-outs.

Every command is idempotent: asked again for what already exists, it says so and changes
nothing (exit status 0). Anything it cannot do ends with a message and exit status 1,
having written nothing. ``add-user`` and ``reset-password`` print the one-time password
alone on the last line, so a script can read it with ``tail -n 1``.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from app.models import Role, User
from app.org import services
from app.org.names import check_username
from app.org.services import AlreadyExists, OrgError

org_cli = AppGroup("org", help="Tỉnh, phường, trường và tài khoản quản lý (tạo bằng lệnh).")

ROLE_NAMES = {
    "admin": Role.ADMIN,
    "city": Role.CITY_OFFICER,
    "ward": Role.WARD_OFFICER,
    "school-admin": Role.SCHOOL_ADMIN,
}


def _fail(error: OrgError) -> None:
    raise click.ClickException(str(error))


def _unchanged(error: AlreadyExists) -> None:
    click.echo(f"{error} Không thay đổi gì.")


@org_cli.command("add-province")
@click.argument("name")
def add_province(name: str) -> None:
    """Tạo tỉnh, thành phố: add-province "Hải Phòng"."""
    try:
        province = services.add_province(name)
    except AlreadyExists as error:
        return _unchanged(error)
    except OrgError as error:
        return _fail(error)
    click.echo(f"Đã tạo tỉnh, thành phố “{province.name}”.")


@org_cli.command("add-ward")
@click.option("--province", required=True, help="Tỉnh, thành phố của phường, xã.")
@click.argument("name")
def add_ward(province: str, name: str) -> None:
    """Tạo phường, xã: add-ward --province "Hải Phòng" "Phường Thủy Nguyên"."""
    try:
        ward, attached = services.add_ward(name, province)
    except AlreadyExists as error:
        return _unchanged(error)
    except OrgError as error:
        return _fail(error)
    if attached:
        click.echo(f"“{ward.name}” đã có từ trước; nay thuộc {ward.province.name}.")
    else:
        click.echo(f"Đã tạo “{ward.name}” ở {ward.province.name} (mã {ward.code}).")


@org_cli.command("add-school")
@click.option("--ward", required=True, help="Phường, xã của trường.")
@click.option("--level", required=True, help="Cấp học: mam_non, tieu_hoc, thcs, th_thcs.")
@click.option("--province", default=None, help="Chỉ cần khi hai tỉnh có phường cùng tên.")
@click.argument("name")
def add_school(ward: str, level: str, province: str | None, name: str) -> None:
    """Tạo trường: add-school --ward "Phường Thủy Nguyên" --level thcs "Trường THCS …"."""
    try:
        school = services.add_school(name, level, ward, province)
    except AlreadyExists as error:
        return _unchanged(error)
    except OrgError as error:
        return _fail(error)
    click.echo(f"Đã tạo “{school.name}” ({school.level.value}) ở {school.ward.name}.")


@org_cli.command("add-user")
@click.option("--role", "role_name", required=True, type=click.Choice(list(ROLE_NAMES)))
@click.option("--province", default=None, help="Tỉnh, thành phố (cán bộ Sở).")
@click.option("--ward", default=None, help="Phường, xã (cán bộ phường).")
@click.option("--school", default=None, help="Trường (quản trị trường).")
@click.option("--username", required=True, help="Tên đăng nhập: chữ không dấu, số, . _ -")
@click.option("--name", "full_name", required=True, help="Họ và tên.")
def add_user(role_name: str, province: str | None, ward: str | None, school: str | None,
             username: str, full_name: str) -> None:  # fmt: skip
    """Tạo tài khoản; dòng cuối là mật khẩu dùng một lần (đổi ở lần đăng nhập đầu)."""
    role = ROLE_NAMES[role_name]
    try:
        scope = services.resolve_scope(role, province, ward, school)
        account = services.add_user(role, username, full_name, scope)
    except AlreadyExists as error:
        click.echo(
            f"{error} Không thay đổi gì. Cần mật khẩu mới thì chạy: "
            f"flask --app app org reset-password --username {error.existing.username}"
        )
        return
    except OrgError as error:
        return _fail(error)
    user = account.user
    click.echo(f"Đã tạo tài khoản “{user.username}” ({user.full_name}, {scope.label()}).")
    click.echo("Mật khẩu dùng một lần (phải đổi ở lần đăng nhập đầu):")
    click.echo(account.password)


@org_cli.command("reset-password")
@click.option("--username", required=True)
def reset_password(username: str) -> None:
    """Cấp mật khẩu dùng một lần mới cho bất kỳ tài khoản nào (kể cả quản trị hệ thống)."""
    name, problem = check_username(username)
    user = None if problem else db.session.scalar(sa.select(User).where(User.username == name))
    if user is None:
        raise click.ClickException(f"Không có tài khoản “{name}”.")
    account = services.reset_password(user)
    click.echo(
        f"Đã cấp mật khẩu mới cho “{user.username}” ({user.full_name}); mọi phiên đăng nhập "
        "cũ đã kết thúc. Mật khẩu dùng một lần (phải đổi ở lần đăng nhập đầu):"
    )
    click.echo(account.password)
