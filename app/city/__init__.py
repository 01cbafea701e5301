from flask import Blueprint

bp = Blueprint("city", __name__, url_prefix="/city")

from app.city import routes  # noqa: E402,F401
