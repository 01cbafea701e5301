"""Creating provinces, wards, schools and the accounts that run them.

The same functions serve the site admin's pages and ``flask org …``. Each one checks
everything first and writes in one commit, or raises ``OrgError`` (its message, in the
reader's language, names what is wrong and where) and writes nothing. Asking for
something that already exists, exactly as asked, raises ``AlreadyExists`` carrying it:
the command then says "nothing changed" (running it twice is harmless), a page says
"already there".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app import audit
from app.audit import actions
from app.auth.services import generate_password, set_password
from app.extensions import db
from app.models import Province, Role, School, SchoolLevel, User, Ward
from app.org.names import check_username, clean, key
from app.roster.fields import fold

MAX_NAME = 120  # Province.name, Ward.name, User.full_name
MAX_SCHOOL_NAME = 160
WARD_CODE_LENGTH = 40

# The roles this module creates, and the scope each one belongs to.
ORG_ROLES = (Role.ADMIN, Role.CITY_OFFICER, Role.WARD_OFFICER, Role.SCHOOL_ADMIN)
SCOPE_OF = {
    Role.ADMIN: None,
    Role.CITY_OFFICER: "province",
    Role.WARD_OFFICER: "ward",
    Role.SCHOOL_ADMIN: "school",
}


class OrgError(Exception):
    """Something that cannot be created as asked; ``str()`` is the message for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it is about, when there is one

    def __str__(self) -> str:
        return self.message


class AlreadyExists(OrgError):
    """It is there already, as asked: nothing was changed."""

    def __init__(self, message: str, existing: object, field: str | None = None) -> None:
        super().__init__(message, field)
        self.existing = existing


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str  # the one-time password, shown once and printed on the login card


def _name(raw: str | None, what: str, limit: int = MAX_NAME, field: str = "name") -> str:
    name = clean(raw)
    if not name:
        raise OrgError(_("Hãy nhập tên %(what)s.", what=what), field)
    if len(name) > limit:
        raise OrgError(_("Tên %(what)s dài quá %(max)d ký tự.", what=what, max=limit), field)
    return name


def _commit(flush_only: bool = False) -> None:
    """Commit (or flush), turning a clash with a row written meanwhile into a message."""
    try:
        db.session.flush() if flush_only else db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise OrgError(
            _("Vừa có người tạo cùng tên này ở nơi khác. Hãy tải lại trang và xem lại.")
        ) from None


# Finding what a name refers to ---------------------------------------------------------


def find_province(name: str | None, field: str = "province") -> Province:
    wanted = key(name)
    if not wanted:
        raise OrgError(_("Hãy cho biết tỉnh, thành phố."), field)
    for province in db.session.scalars(sa.select(Province)):
        if key(province.name) == wanted:
            return province
    raise OrgError(
        _(
            "Chưa có tỉnh, thành phố “%(name)s”. Hãy tạo trước: "
            'flask --app app org add-province "%(name)s"',
            name=clean(name),
        ),
        field,
    )


def find_ward(name: str | None, province: str | None = None, field: str = "ward") -> Ward:
    wanted = key(name)
    if not wanted:
        raise OrgError(_("Hãy cho biết phường, xã."), field)
    query = sa.select(Ward).order_by(Ward.id)
    if province:
        query = query.where(Ward.province_id == find_province(province).id)
    matches = [w for w in db.session.scalars(query) if key(w.name) == wanted]
    if not matches:
        where = _(" ở %(province)s", province=clean(province)) if province else ""
        raise OrgError(
            _(
                "Chưa có phường, xã “%(name)s”%(where)s. Hãy tạo trước: flask --app app org "
                'add-ward --province "…" "%(name)s"',
                name=clean(name),
                where=where,
            ),
            field,
        )
    if len(matches) > 1:
        raise OrgError(
            _(
                "Có %(count)d phường, xã tên “%(name)s” ở các tỉnh khác nhau. Hãy ghi thêm "
                "tỉnh, thành phố (--province).",
                count=len(matches),
                name=clean(name),
            ),
            field,
        )
    return matches[0]


def find_school(
    name: str | None, ward: str | None = None, province: str | None = None, field: str = "school"
) -> School:
    wanted = key(name)
    if not wanted:
        raise OrgError(_("Hãy cho biết trường."), field)
    query = sa.select(School).order_by(School.id)
    if ward:
        query = query.where(School.ward_id == find_ward(ward, province).id)
    elif province:
        query = query.join(Ward).where(Ward.province_id == find_province(province).id)
    matches = [s for s in db.session.scalars(query) if key(s.name) == wanted]
    if not matches:
        raise OrgError(
            _(
                "Chưa có trường “%(name)s”. Hãy tạo trước: flask --app app org add-school "
                '--ward "…" --level thcs "%(name)s"',
                name=clean(name),
            ),
            field,
        )
    if len(matches) > 1:
        raise OrgError(
            _(
                "Có %(count)d trường tên “%(name)s” ở các phường, xã khác nhau. Hãy ghi thêm "
                "phường, xã (--ward).",
                count=len(matches),
                name=clean(name),
            ),
            field,
        )
    return matches[0]


def parse_level(raw: str | None) -> SchoolLevel:
    value = (raw or "").strip().lower().replace("-", "_").replace("&", "_")
    try:
        return SchoolLevel(value)
    except ValueError:
        raise OrgError(
            _(
                "Cấp học “%(value)s” không có. Hãy ghi một trong: %(levels)s.",
                value=raw or "",
                levels=", ".join(level.value for level in SchoolLevel),
            ),
            "level",
        ) from None


# Creating ----------------------------------------------------------------------------


def add_province(raw_name: str | None) -> Province:
    name = _name(raw_name, _("tỉnh, thành phố"))
    for province in db.session.scalars(sa.select(Province)):
        if key(province.name) == key(name):
            raise AlreadyExists(
                _("Đã có tỉnh, thành phố “%(name)s”.", name=province.name), province, "name"
            )
    province = Province(name=name)
    db.session.add(province)
    _commit()
    return province


def _ward_code(name: str, province: Province | None) -> str:
    """A unique ASCII code for the ward, e.g. ``phuong-thuy-nguyen``."""

    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")

    base = slug(name)[:WARD_CODE_LENGTH] or "phuong"
    taken = set(db.session.scalars(sa.select(Ward.code).where(Ward.code.startswith(base[:20]))))
    candidates = [base]
    if province is not None:
        candidates.append(f"{base}-{slug(province.name)}"[:WARD_CODE_LENGTH])
    candidates += [f"{base[: WARD_CODE_LENGTH - 4]}-{n}" for n in range(2, 1000)]
    return next(c for c in candidates if c not in taken)


def add_ward(raw_name: str | None, province_name: str | Province | None) -> tuple[Ward, bool]:
    """A ward or commune in a province: (the ward, whether it existed already). A ward made
    before provinces existed here (no province yet) and of the same name is attached to
    the province instead of being made twice."""
    province = (
        province_name if isinstance(province_name, Province) else find_province(province_name)
    )
    name = _name(raw_name, _("phường, xã"))
    for ward in province.wards:
        if key(ward.name) == key(name):
            raise AlreadyExists(
                _(
                    "Đã có “%(ward)s” ở %(province)s.",
                    ward=ward.name,
                    province=province.name,
                ),
                ward,
                "name",
            )
    orphans = [
        w
        for w in db.session.scalars(sa.select(Ward).where(Ward.province_id.is_(None)))
        if key(w.name) == key(name)
    ]
    if len(orphans) == 1:
        ward = orphans[0]
        ward.province_id = province.id
    else:
        ward = Ward(name=name, province_id=province.id, code=_ward_code(name, province))
        db.session.add(ward)
    _commit()
    return ward, len(orphans) == 1


def add_school(
    raw_name: str | None, level: SchoolLevel | str | None, ward_name: str | Ward | None,
    province_name: str | None = None,
) -> School:  # fmt: skip
    ward = ward_name if isinstance(ward_name, Ward) else find_ward(ward_name, province_name)
    school_level = level if isinstance(level, SchoolLevel) else parse_level(level)
    name = _name(raw_name, _("trường"), MAX_SCHOOL_NAME)
    for school in ward.schools:
        if key(school.name) == key(name):
            if school.level != school_level:
                raise OrgError(
                    _(
                        "“%(school)s” ở %(ward)s đã có, với cấp học %(level)s. Không tạo "
                        "trường thứ hai cùng tên.",
                        school=school.name,
                        ward=ward.name,
                        level=school.level.value,
                    ),
                    "name",
                )
            raise AlreadyExists(
                _("Đã có “%(school)s” ở %(ward)s.", school=school.name, ward=ward.name),
                school,
                "name",
            )
    school = School(name=name, level=school_level, ward_id=ward.id)
    db.session.add(school)
    _commit()
    return school


@dataclass(frozen=True)
class Scope:
    """Where an account belongs: a province, a ward or a school (or nowhere, site admin)."""

    province: Province | None = None
    ward: Ward | None = None
    school: School | None = None

    def label(self) -> str:
        place = self.school or self.ward or self.province
        return place.name if place is not None else _("Quản trị hệ thống")


def resolve_scope(
    role: Role, province: str | None = None, ward: str | None = None, school: str | None = None
) -> Scope:
    """The place an account of ``role`` is tied to, from names as typed."""
    needs = SCOPE_OF[role]
    if needs is None:
        if province or ward or school:
            raise OrgError(
                _("Quản trị hệ thống không gắn với tỉnh, phường hay trường nào. Hãy bỏ các "
                  "lựa chọn --province, --ward, --school.")
            )  # fmt: skip
        return Scope()
    if needs == "province":
        if ward or school:
            raise OrgError(_("Cán bộ Sở chỉ gắn với một tỉnh, thành phố (--province)."))
        return Scope(province=find_province(province))
    if needs == "ward":
        if school:
            raise OrgError(_("Cán bộ phường chỉ gắn với một phường, xã (--ward)."))
        return Scope(ward=find_ward(ward, province))
    return Scope(school=find_school(school, ward, province))


def _same_account(user: User, role: Role, scope: Scope, full_name: str) -> bool:
    return (
        user.role == role
        and key(user.full_name) == key(full_name)
        and user.province_id == (scope.province.id if scope.province else None)
        and user.ward_id == (scope.ward.id if scope.ward else None)
        and user.school_id == (scope.school.id if scope.school else None)
    )


def add_user(role: Role, raw_username: str | None, raw_full_name: str | None, scope: Scope
             ) -> NewAccount:  # fmt: skip
    """An account with a one-time password; the person chooses their own at first sign-in."""
    if role not in ORG_ROLES:
        raise OrgError(_("Vai trò này không tạo ở đây."), "role")
    username, problem = check_username(raw_username)
    if problem:
        raise OrgError(problem, "username")
    full_name = _name(raw_full_name, _("người dùng"), field="full_name")
    existing = db.session.scalar(sa.select(User).where(User.username == username))
    if existing is not None:
        if _same_account(existing, role, scope, full_name):
            raise AlreadyExists(
                _("Tài khoản “%(username)s” đã có, đúng như vậy.", username=username),
                existing,
                "username",
            )
        raise OrgError(
            _(
                "Tên đăng nhập “%(username)s” đã có người dùng. Hãy chọn tên khác.",
                username=username,
            ),
            "username",
        )
    password = generate_password()
    user = User(
        username=username,
        password_hash="",
        full_name=full_name,
        role=role,
        province_id=scope.province.id if scope.province else None,
        ward_id=scope.ward.id if scope.ward else None,
        school_id=scope.school.id if scope.school else None,
    )
    set_password(user, password, must_change=True)
    db.session.add(user)
    _commit(flush_only=True)
    audit.record(actions.ACCOUNT_CREATED, target=user, detail=_how(role))
    _commit()
    return NewAccount(user, password)


def _how(role: Role) -> dict:
    """The log's detail: the role, and whether a page or a server command did it."""
    return {"role": role.value, "via": "page" if has_request_context() else "command"}


def reset_password(user: User) -> NewAccount:
    """A new one-time password; every session of the account ends."""
    password = generate_password()
    set_password(user, password, must_change=True)
    audit.record(actions.PASSWORD_RESET, target=user, detail=_how(user.role))
    db.session.commit()
    return NewAccount(user, password)
