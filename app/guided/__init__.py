from flask import Blueprint

bp = Blueprint("guided", __name__, url_prefix="/guided")

from app.guided import routes  # noqa: E402,F401
