from flask import Blueprint

# cli_group=None puts this blueprint's commands at the top level: ``flask reports …`` and
# ``flask bench …`` (see app/reports/cli.py).
bp = Blueprint("reports", __name__, url_prefix="/reports", cli_group=None)

from app.reports import cli, filters, routes  # noqa: E402,F401
