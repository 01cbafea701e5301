"""The security log. Other features call ``app.audit.record(action, ...)``."""

from flask import Blueprint

from app.audit import actions
from app.audit.services import record

bp = Blueprint("audit", __name__, url_prefix="/security-log")

__all__ = ["actions", "bp", "record"]

from app.audit import routes  # noqa: E402,F401
