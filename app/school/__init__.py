from flask import Blueprint

bp = Blueprint("school", __name__, url_prefix="/school")

from app.school import routes  # noqa: E402,F401
