from flask import Blueprint

bp = Blueprint("roster", __name__, url_prefix="/school/roster")


@bp.cli.command("purge")
def purge_command() -> None:
    """Drop expired pending uploads and login-card passwords past their keeping time."""
    from app.models.base import utcnow
    from app.roster.services import purge_expired

    purge_expired(utcnow())


from app.roster import routes  # noqa: E402,F401
