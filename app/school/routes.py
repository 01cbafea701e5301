import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from app.auth.access import roles_required
from app.extensions import db
from app.models import Classroom, Role
from app.school import bp


@bp.route("/")
@roles_required(Role.SCHOOL_ADMIN)
def home():
    classrooms = db.session.scalars(
        sa.select(Classroom)
        .where(Classroom.school_id == current_user.school_id)
        .order_by(Classroom.school_year.desc(), Classroom.grade, Classroom.name)
    ).all()
    return render_template("school/home.html", classrooms=classrooms)
