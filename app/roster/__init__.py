from flask import Blueprint

bp = Blueprint("roster", __name__, url_prefix="/school/roster")

from app.roster import routes  # noqa: E402,F401
