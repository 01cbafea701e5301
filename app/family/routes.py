import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from app.auth.access import roles_required
from app.extensions import db
from app.family import bp
from app.models import ParentLink, Role


@bp.route("/")
@roles_required(Role.PARENT)
def home():
    links = db.session.scalars(
        sa.select(ParentLink).where(ParentLink.parent_id == current_user.id)
    ).all()
    return render_template("family/home.html", links=links)
