"""The homeroom teacher's pages: the class dashboard, the competence grid, one student."""

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import roles_required
from app.auth.services import reset_password
from app.content import get_content
from app.extensions import db
from app.models import Classroom, Role, User
from app.reports.class_report import (
    INACTIVE_DAYS,
    NEEDS_HELP_FAILURES,
    SortKey,
    class_report,
    competence_grid,
    student_detail,
)
from app.teach import bp
from app.teach.services import can_manage_classroom, can_manage_student, student_classroom_for

TEACHERS = (Role.TEACHER, Role.SCHOOL_ADMIN)


@bp.route("/")
@roles_required(Role.TEACHER)
def home():
    return render_template("teach/home.html", classrooms=current_user.homeroom_classes())


def _managed_classroom(classroom_id: int) -> Classroom:
    classroom = db.get_or_404(Classroom, classroom_id)
    if not can_manage_classroom(current_user, classroom):
        abort(403)
    return classroom


def _sort_from_request() -> tuple[SortKey, bool]:
    """``?sort=lessons&order=desc``; anything unknown falls back to name, A → Z."""
    try:
        key = SortKey(request.args.get("sort", SortKey.NAME.value))
    except ValueError:
        key = SortKey.NAME
    return key, request.args.get("order") == "desc"


@bp.route("/classes/<int:classroom_id>")
@roles_required(TEACHERS)
def classroom(classroom_id: int):
    classroom = _managed_classroom(classroom_id)
    report = class_report(classroom, get_content())
    key, descending = _sort_from_request()
    return render_template(
        "teach/classroom.html",
        classroom=classroom,
        report=report,
        rows=report.sorted_rows(key, descending),
        sort=key,
        descending=descending,
        sort_keys=SortKey,
        inactive_days=INACTIVE_DAYS,
        needs_help_failures=NEEDS_HELP_FAILURES,
    )


@bp.route("/classes/<int:classroom_id>/competences")
@roles_required(TEACHERS)
def competences(classroom_id: int):
    classroom = _managed_classroom(classroom_id)
    content = get_content()
    grid = competence_grid(class_report(classroom, content), content)
    return render_template(
        "teach/competences.html",
        classroom=classroom,
        grid=grid,
        framework=content.framework,
    )


@bp.route("/students/<int:student_id>")
@roles_required(TEACHERS)
def student(student_id: int):
    student = db.get_or_404(User, student_id)
    if not can_manage_student(current_user, student):
        abort(403)
    classroom = student_classroom_for(current_user, student)
    detail = student_detail(student, classroom, get_content())
    return render_template(
        "teach/student.html",
        detail=detail,
        classroom=classroom,
        form=FlaskForm(),
        inactive_days=INACTIVE_DAYS,
    )


@bp.route("/students/<int:student_id>/reset-password", methods=["POST"])
@roles_required(TEACHERS)
def reset_student_password(student_id: int):
    student = db.get_or_404(User, student_id)
    if not can_manage_student(current_user, student):
        abort(403)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    password = reset_password(student)
    response = make_response(
        render_template(
            "teach/password_reset.html", student=student, password=password, title=_("Mật khẩu mới")
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the password must not stay in a cache
    return response
