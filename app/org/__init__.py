"""Setting up a city: provinces, wards and communes, schools, and the accounts that run
them (site admins, city officers, ward officers, school admins), by page or by command."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from app.org import routes  # noqa: E402,F401
