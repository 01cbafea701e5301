"""``flask demo``: the demo data that ``make run`` loads. Running it twice changes nothing."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.demo import certificates, guided, org, progress, reports
from app.extensions import db

DEMO_PASSWORD = "hocso-demo"  # noqa: S105 - published demo password, demo accounts only

# Each loader takes the result of the previous ones and must be idempotent. reports runs
# before certificates: the activity it adds earns certificates.
LOADERS = [org.load, guided.load, progress.load, reports.load, certificates.load]


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo ward, schools, classes and accounts (idempotent)."""
    context: dict = {}
    for loader in LOADERS:
        loader(context)
        db.session.commit()
    click.echo(f"Dữ liệu mẫu đã sẵn sàng. Đăng nhập bằng mật khẩu “{DEMO_PASSWORD}”:")
    for username, description in org.DEMO_ACCOUNTS:
        click.echo(f"  {username:<20} {description}")
