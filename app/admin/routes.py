import sqlalchemy as sa
from flask import render_template

from app.admin import bp
from app.auth.access import roles_required
from app.extensions import db
from app.models import Role, Ward


@bp.route("/")
@roles_required(Role.ADMIN)
def home():
    wards = db.session.scalars(sa.select(Ward).order_by(Ward.name)).all()
    return render_template("admin/home.html", wards=wards)
