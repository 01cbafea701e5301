from flask import render_template
from flask_login import current_user

from app.auth.access import roles_required
from app.models import Role
from app.ward import bp


@bp.route("/")
@roles_required(Role.WARD_OFFICER)
def home():
    return render_template("ward/home.html", ward=current_user.ward)
