from flask import Blueprint

bp = Blueprint("family", __name__, url_prefix="/family")

from app.family import routes  # noqa: E402,F401
