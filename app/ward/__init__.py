from flask import Blueprint

bp = Blueprint("ward", __name__, url_prefix="/ward")

from app.ward import routes  # noqa: E402,F401
