from flask import render_template
from flask_login import current_user

from app.auth.access import learner_required
from app.learn import bp


@bp.route("/")
@learner_required
def home():
    classroom = current_user.current_classroom() if current_user.role == "student" else None
    return render_template("learn/home.html", classroom=classroom)
