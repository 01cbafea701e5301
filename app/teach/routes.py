from flask import abort, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import roles_required
from app.auth.services import reset_password
from app.extensions import db
from app.models import Classroom, Role, User
from app.teach import bp
from app.teach.services import can_manage_classroom, can_manage_student, classroom_students

TEACHERS = (Role.TEACHER, Role.SCHOOL_ADMIN)


@bp.route("/")
@roles_required(Role.TEACHER)
def home():
    return render_template("teach/home.html", classrooms=current_user.homeroom_classes())


@bp.route("/classes/<int:classroom_id>")
@roles_required(TEACHERS)
def classroom(classroom_id: int):
    classroom = db.get_or_404(Classroom, classroom_id)
    if not can_manage_classroom(current_user, classroom):
        abort(403)
    return render_template(
        "teach/classroom.html",
        classroom=classroom,
        students=classroom_students(classroom),
        form=FlaskForm(),
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
