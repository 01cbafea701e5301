"""The site admin's pages: provinces, wards and communes, schools, and the accounts that
run them, each made with a one-time password and a login card."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import (
    ConfirmListForm,
    ProvinceForm,
    SchoolForm,
    SchoolListForm,
    UserForm,
    WardForm,
)
from app.auth.access import roles_required
from app.extensions import db
from app.models import Province, Role, School, SchoolLevel, User, Ward
from app.org import school_list, services
from app.org.cards import role_label
from app.org.routes import no_store, show_new_password
from app.org.services import AlreadyExists, OrgError, Scope
from app.reports.targets import LEVEL_LABELS
from app.roster.spreadsheet import RosterFileError

ROLE_PARAMS = {
    "city": Role.CITY_OFFICER,
    "ward": Role.WARD_OFFICER,
    "school-admin": Role.SCHOOL_ADMIN,
    "admin": Role.ADMIN,
}


def _provinces() -> list[Province]:
    return list(db.session.scalars(sa.select(Province).order_by(Province.name)))


def _wards() -> list[Ward]:
    return list(
        db.session.scalars(sa.select(Ward).outerjoin(Province).order_by(Province.name, Ward.name))
    )


def _ward_label(ward: Ward) -> str:
    return f"{ward.name} — {ward.province.name}" if ward.province else ward.name


def _refuse(form, error: OrgError, template: str, **context):
    """Show the form again with the message on its field; 400, nothing saved."""
    target = getattr(form, error.field or "", None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(error)]
    else:
        flash(str(error), "error")
    return make_response(render_template(template, form=form, **context), 400)


@bp.route("/")
@roles_required(Role.ADMIN)
def home():
    officers = db.session.scalars(
        sa.select(User).where(
            User.role.in_([Role.CITY_OFFICER, Role.WARD_OFFICER, Role.SCHOOL_ADMIN])
        )
    )
    by_place: dict[tuple[str, int], list[User]] = {}
    for officer in officers:
        place = (
            ("school", officer.school_id)
            if officer.role == Role.SCHOOL_ADMIN
            else ("ward", officer.ward_id)
            if officer.role == Role.WARD_OFFICER
            else ("province", officer.province_id)
        )
        by_place.setdefault(place, []).append(officer)
    orphans = list(
        db.session.scalars(sa.select(Ward).where(Ward.province_id.is_(None)).order_by(Ward.name))
    )
    return render_template(
        "admin/home.html",
        provinces=_provinces(),
        orphans=orphans,
        by_place=by_place,
        level_labels=LEVEL_LABELS,
    )


@bp.route("/provinces/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_province():
    form = ProvinceForm()
    if form.validate_on_submit():
        try:
            province = services.add_province(form.name.data)
        except OrgError as error:
            return _refuse(form, error, "admin/province_form.html")
        flash(_("Đã thêm %(name)s.", name=province.name), "success")
        return redirect(url_for(".home"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/province_form.html", form=form), status


@bp.route("/wards/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_ward():
    provinces = _provinces()
    if not provinces:
        flash(_("Hãy thêm tỉnh, thành phố trước."), "warning")
        return redirect(url_for(".new_province"))
    form = WardForm()
    form.province.choices = [(p.id, p.name) for p in provinces]
    if request.method == "GET" and request.args.get("province", type=int):
        form.province.data = request.args.get("province", type=int)
    if form.validate_on_submit():
        province = db.session.get(Province, form.province.data or 0)
        try:
            if province is None:
                raise OrgError(_("Hãy chọn tỉnh, thành phố trong danh sách."), "province")
            ward, attached = services.add_ward(form.name.data, province)
        except OrgError as error:
            return _refuse(form, error, "admin/ward_form.html")
        if attached:
            flash(_("“%(ward)s” đã có từ trước; nay thuộc %(province)s.", ward=ward.name,
                    province=province.name), "success")  # fmt: skip
        else:
            flash(_("Đã thêm %(ward)s (%(province)s).", ward=ward.name, province=province.name),
                  "success")  # fmt: skip
        return redirect(url_for(".home"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/ward_form.html", form=form), status


@bp.route("/schools/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_school():
    wards = _wards()
    if not wards:
        flash(_("Hãy thêm phường, xã trước."), "warning")
        return redirect(url_for(".new_ward"))
    form = SchoolForm()
    form.ward.choices = [(w.id, _ward_label(w)) for w in wards]
    form.level.choices = [(level.value, str(LEVEL_LABELS[level])) for level in SchoolLevel]
    if request.method == "GET":
        form.ward.data = request.args.get("ward", type=int)
        form.level.data = SchoolLevel.LOWER_SECONDARY.value
    if form.validate_on_submit():
        ward = db.session.get(Ward, form.ward.data or 0)
        try:
            if ward is None:
                raise OrgError(_("Hãy chọn phường, xã trong danh sách."), "ward")
            school = services.add_school(form.name.data, form.level.data, ward)
        except OrgError as error:
            return _refuse(form, error, "admin/school_form.html")
        flash(_("Đã thêm %(school)s (%(ward)s).", school=school.name, ward=ward.name), "success")
        return redirect(url_for(".home"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/school_form.html", form=form), status


def _places(role: Role) -> list[tuple[int, str]]:
    if role == Role.CITY_OFFICER:
        return [(p.id, p.name) for p in _provinces()]
    if role == Role.WARD_OFFICER:
        return [(w.id, _ward_label(w)) for w in _wards()]
    if role == Role.SCHOOL_ADMIN:
        schools = db.session.scalars(sa.select(School).join(Ward).order_by(Ward.name, School.name))
        return [(s.id, f"{s.name} — {s.ward.name}") for s in schools]
    return []


def _scope(role: Role, place_id: int | None) -> Scope:
    model = {Role.CITY_OFFICER: Province, Role.WARD_OFFICER: Ward, Role.SCHOOL_ADMIN: School}
    if role not in model:
        return Scope()
    place = db.session.get(model[role], place_id or 0)
    if place is None:
        raise OrgError(_("Hãy chọn nơi làm việc trong danh sách."), "place")
    field = {Role.CITY_OFFICER: "province", Role.WARD_OFFICER: "ward"}.get(role, "school")
    return Scope(**{field: place})


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    role = ROLE_PARAMS.get(request.args.get("role", ""))
    if role is None:
        return render_template("admin/user_role.html", roles=ROLE_PARAMS, role_label=role_label)
    form = UserForm()
    form.place.choices = _places(role)
    if role != Role.ADMIN and not form.place.choices:
        flash(_("Chưa có nơi nào để gắn tài khoản này. Hãy thêm tỉnh, phường hoặc trường trước."),
              "warning")  # fmt: skip
        return redirect(url_for(".home"))
    context = {"role": role, "role_label": role_label(role)}
    if request.method == "GET" and request.args.get("place", type=int):
        form.place.data = request.args.get("place", type=int)
    if form.validate_on_submit():
        try:
            scope = _scope(role, form.place.data)
            account = services.add_user(role, form.username.data, form.full_name.data, scope)
        except AlreadyExists as error:
            error.message = _(
                "Tài khoản “%(username)s” đã có. Nếu người này quên mật khẩu, hãy dùng “Cấp lại "
                "mật khẩu”.",
                username=error.existing.username,
            )
            return _refuse(form, error, "admin/user_form.html", **context)
        except OrgError as error:
            return _refuse(form, error, "admin/user_form.html", **context)
        return show_new_password(
            account, _("Đã tạo tài khoản cho %(name)s", name=account.user.full_name)
        )
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, **context), status


@bp.route("/schools/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_schools():
    provinces = _provinces()
    if not provinces:
        flash(_("Hãy thêm tỉnh, thành phố trước."), "warning")
        return redirect(url_for(".new_province"))
    form = SchoolListForm()
    form.province.choices = [(p.id, p.name) for p in provinces]
    if form.validate_on_submit():
        province = db.session.get(Province, form.province.data or 0)
        if province is None:
            form.province.errors = [_("Hãy chọn tỉnh, thành phố trong danh sách.")]
        else:
            try:
                upload = form.school_file.data
                try:
                    data = upload.read(school_list.MAX_FILE_BYTES + 1)
                finally:
                    upload.close()
                sheets = school_list.read_upload(data)
                rows, problems = school_list.parse_rows(sheets)
            except RosterFileError as error:
                form.school_file.errors = [str(error)]
            else:
                plan = school_list.plan(province, rows, problems)
                confirm = ConfirmListForm(digest=school_list.seal(province, rows, problems))
                page = render_template(
                    "admin/school_list_preview.html", plan=plan, confirm=confirm,
                    level_labels=LEVEL_LABELS, SchoolLevel=SchoolLevel,
                )  # fmt: skip
                return no_store(make_response(page, 200 if plan.can_confirm else 422))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/school_list_upload.html", form=form), status


@bp.route("/schools/import/confirm", methods=["POST"])
@roles_required(Role.ADMIN)
def confirm_schools():
    form = ConfirmListForm()
    sealed = school_list.unseal(form.digest.data or "") if form.validate_on_submit() else None
    if sealed is None:
        flash(_("Bản xem trước đã hết hạn hoặc không hợp lệ. Hãy tải tệp lên lại."), "warning")
        return redirect(url_for(".import_schools"))
    province_id, rows, bad = sealed
    province = db.session.get(Province, province_id)
    if province is None:
        abort(400)
    plan = school_list.plan(province, rows, [])
    if bad or plan.problems or not plan.can_confirm:
        flash(_("Danh sách còn lỗi hoặc không có trường mới nào; chưa tạo gì."), "error")
        page = render_template(
            "admin/school_list_preview.html", plan=plan, confirm=None,
            level_labels=LEVEL_LABELS, SchoolLevel=SchoolLevel,
        )  # fmt: skip
        return no_store(make_response(page, 409))
    created = school_list.apply(plan)
    flash(
        _("Đã tạo %(schools)d trường và %(wards)d phường, xã mới ở %(province)s.",
          schools=created, wards=len(plan.new_wards), province=province.name),
        "success",
    )  # fmt: skip
    return redirect(url_for(".home"))
