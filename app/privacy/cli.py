"""``flask --app app privacy purge``: the retention job the README schedules with cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.privacy import retention
from app.privacy.purge import purge

privacy_command = AppGroup("privacy", help="Personal data: retention.")


@privacy_command.command("purge")
def purge_command() -> None:
    """Remove relatives' phone numbers and unused claim codes kept past their time."""
    report = purge()
    click.echo(
        f"Removed {report.phones} phone number(s) unused for {retention.phone_days()} days "
        f"and {report.claim_codes} unused claim code(s) older than "
        f"{retention.claim_code_days()} days."
    )
