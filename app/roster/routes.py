"""Roster pages for a school's admins: upload, preview, confirm, login cards, promotion."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.auth.access import roles_required
from app.extensions import db
from app.models import Classroom, ImportStatus, Role, RosterImport, School
from app.models.base import utcnow
from app.models.org import school_year_for
from app.roster import bp, example_files, promotion, services
from app.roster.cards import pdf_file_name, render_cards_pdf
from app.roster.forms import (
    ActionForm,
    ConfirmForm,
    PromotionChoiceForm,
    PromotionConfirmForm,
    UploadForm,
)
from app.roster.spreadsheet import RosterFileError

ADMIN = Role.SCHOOL_ADMIN


def _school() -> School:
    if current_user.school is None:
        abort(403)
    return current_user.school


def _import(import_id: int) -> RosterImport:
    roster_import = db.get_or_404(RosterImport, import_id)
    if not services.may_open(current_user, roster_import):
        abort(403)
    return roster_import


def _no_store(response):
    """Pages and files showing passwords or pupils' details must not stay in a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN)
def upload():
    school = _school()
    now = utcnow()
    services.purge_expired(now)
    form = UploadForm(services.upload_years(now.date()))
    status = 200
    if form.validate_on_submit():
        upload_file = form.roster_file.data
        try:
            roster_import = services.start_import(
                current_user, school, form.school_year.data, upload_file.filename,
                upload_file.read(), now,
            )  # fmt: skip
        except RosterFileError as error:
            form.roster_file.errors.append(str(error))
            status = 400
        else:
            return redirect(url_for(".preview", import_id=roster_import.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "roster/upload.html", form=form, school=school, recent=services.recent_imports(school),
        pending=services.pending_imports(current_user, now),
    ), status  # fmt: skip


@bp.route("/example.<file_format>")
@roles_required(ADMIN)
def example(file_format: str):
    if file_format == "xlsx":
        data = example_files.example_xlsx()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif file_format == "csv":
        data = example_files.example_csv()
        mimetype = "text/csv; charset=utf-8"
    else:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="danh-sach-mau.{file_format}"'
    return response


@bp.route("/imports/<int:import_id>")
@roles_required(ADMIN)
def preview(import_id: int):
    roster_import = _import(import_id)
    if roster_import.status == ImportStatus.APPLIED:
        return redirect(url_for(".result", import_id=import_id))
    if not services.is_live(roster_import, utcnow()):
        flash(_("Bản xem trước này đã hết hạn. Hãy tải tệp lên lại."), "warning")
        return redirect(url_for(".upload"))
    result = services.preview(roster_import)
    confirm = ConfirmForm(plan_digest=result.plan.digest())
    upload_form = UploadForm(
        services.upload_years(utcnow().date()), formdata=None, school_year=roster_import.school_year
    )
    return _no_store(
        make_response(
            render_template(
                "roster/preview.html",
                result=result,
                plan=result.plan,
                confirm=confirm,
                upload_form=upload_form,
                action_form=ActionForm(),
            )  # fmt: skip
        )
    )


@bp.route("/imports/<int:import_id>/confirm", methods=["POST"])
@roles_required(ADMIN)
def confirm(import_id: int):
    roster_import = _import(import_id)
    if roster_import.status == ImportStatus.APPLIED:
        return redirect(url_for(".result", import_id=import_id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.confirm_import(roster_import, form.plan_digest.data, utcnow())
    except services.ImportGone:
        flash(_("Bản xem trước này đã hết hạn. Hãy tải tệp lên lại."), "warning")
        return redirect(url_for(".upload"))
    except services.PlanChanged:
        flash(
            _(
                "Dữ liệu của trường vừa thay đổi sau khi bạn xem trước. Hãy xem lại danh sách "
                "dưới đây rồi xác nhận lần nữa."
            ),
            "warning",
        )
        return redirect(url_for(".preview", import_id=import_id))
    except services.ImportHasProblems:
        return redirect(url_for(".preview", import_id=import_id))
    except services.ImportWriteFailed:
        flash(
            _("Không lưu được danh sách. Chưa có gì thay đổi; vui lòng thử lại sau ít phút."),
            "error",
        )
        return redirect(url_for(".preview", import_id=import_id))
    flash(_("Đã nhập xong danh sách."), "success")
    return redirect(url_for(".result", import_id=import_id))


@bp.route("/imports/<int:import_id>/discard", methods=["POST"])
@roles_required(ADMIN)
def discard(import_id: int):
    roster_import = _import(import_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.discard(roster_import)
    flash(_("Đã huỷ. Không có gì được lưu."), "info")
    return redirect(url_for(".upload"))


@bp.route("/imports/<int:import_id>/result")
@roles_required(ADMIN)
def result(import_id: int):
    roster_import = _import(import_id)
    if roster_import.status != ImportStatus.APPLIED:
        return redirect(url_for(".preview", import_id=import_id))
    now = utcnow()
    services.purge_expired(now)
    return _no_store(
        make_response(
            render_template(
                "roster/result.html",
                roster_import=roster_import,
                summary=roster_import.summary or {},
                groups=services.card_groups(roster_import, now),
                action_form=ActionForm(),
            )  # fmt: skip
        )
    )


@bp.route("/imports/<int:import_id>/cards/<int:classroom_id>")
@roles_required(ADMIN)
def class_cards(import_id: int, classroom_id: int):
    roster_import = _import(import_id)
    classroom = db.get_or_404(Classroom, classroom_id)
    if classroom.school_id != roster_import.school_id:
        abort(404)
    cards = services.class_cards(roster_import, classroom, utcnow())
    title = _("Thẻ đăng nhập lớp %(name)s", name=classroom.name)
    return _cards_response(roster_import, cards, title, classroom.name)


@bp.route("/imports/<int:import_id>/cards/staff")
@roles_required(ADMIN)
def staff_cards(import_id: int):
    roster_import = _import(import_id)
    cards = services.staff_cards(roster_import, utcnow())
    return _cards_response(
        roster_import, cards, _("Thẻ đăng nhập giáo viên, nhân viên"), "giao-vien"
    )


def _cards_response(roster_import: RosterImport, cards, title: str, file_label: str):
    if not cards:
        flash(
            _(
                "Không còn thẻ nào để in: mật khẩu ban đầu đã được xoá, đã hết hạn giữ, "
                "hoặc các em đã đổi mật khẩu."
            ),
            "warning",
        )
        return redirect(url_for(".result", import_id=roster_import.id))
    audit.record(
        audit.actions.EXPORT, target=roster_import, detail={"login_cards": len(cards)},
        commit=True,
    )  # fmt: skip
    pdf = render_cards_pdf(cards, school_name=roster_import.school.name, title=title)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_file_name(file_label)}"'
    return _no_store(response)


@bp.route("/imports/<int:import_id>/forget-passwords", methods=["POST"])
@roles_required(ADMIN)
def forget_passwords(import_id: int):
    roster_import = _import(import_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.forget_card_passwords(roster_import)
    flash(_("Đã xoá mật khẩu ban đầu. Không thể in lại thẻ của lần nhập này."), "success")
    return redirect(url_for(".result", import_id=import_id))


@bp.route("/promote", methods=["GET", "POST"])
@roles_required(ADMIN)
def promote():
    school = _school()
    years = promotion.promotion_years(school, utcnow().date())
    if request.method == "POST":
        form = PromotionConfirmForm()
        if not form.validate_on_submit() or form.from_year.data not in years:
            abort(400)
        keep = form.keep_homeroom.data == "1"
        try:
            plan = promotion.apply_promotion(school, form.from_year.data, keep)
        except promotion.PromotionConflict:
            flash(_("Việc lên lớp vừa được làm ở một nơi khác. Hãy xem lại."), "warning")
            return redirect(url_for(".promote", from_year=form.from_year.data))
        flash(
            _(
                "Đã lên lớp: %(moved)d học sinh vào các lớp năm học %(year)s.",
                moved=plan.students_moving,
                year=plan.to_year,
            ),
            "success",
        )
        return redirect(url_for(".promote", from_year=form.from_year.data))
    choice = PromotionChoiceForm(years, formdata=request.args or None)
    plan = confirm_form = None
    if years:
        if choice.from_year.data not in years:
            choice.from_year.data = promotion.suggested_year(school, years)
        plan = promotion.plan_promotion(school, choice.from_year.data, choice.keep_homeroom.data)
        confirm_form = PromotionConfirmForm(
            from_year=plan.from_year, keep_homeroom="1" if choice.keep_homeroom.data else "0"
        )
    return render_template(
        "roster/promote.html", choice=choice, plan=plan, confirm=confirm_form, school=school,
        current_year=school_year_for(utcnow().date()),
    )  # fmt: skip


@bp.app_template_filter("roster_datetime")
def roster_datetime(value) -> str:
    from flask_babel import format_datetime

    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""
