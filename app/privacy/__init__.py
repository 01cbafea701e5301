"""Personal data under Law 91/2025/QH15 and Decree 356/2025: the notice, a copy of one's
own data, consent withdrawal, deletion requests and the retention purge."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from app.privacy import routes  # noqa: E402,F401
