"""``flask content check`` and ``flask content coverage``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.content.models import AUDIENCES
from app.content.registry import ContentRegistry
from app.content.report import print_report

content_cli = AppGroup("content", help="Check lessons and quizzes, and show what they cover.")


@content_cli.command("check")
def check_command() -> None:
    """List every content problem as file:line: message; exit 1 if there is one."""
    from app.content import get_content

    raise SystemExit(print_report(get_content(), click.echo))


@content_cli.command("coverage")
def coverage_command() -> None:
    """How many lessons teach each competence, per audience."""
    from app.content import get_content

    for line in coverage_table(get_content()):
        click.echo(line)


def coverage_table(registry: ContentRegistry) -> list[str]:
    """One row per competence: its code, a lesson count per audience, its name."""
    counts = {audience: registry.coverage(audience) for audience in AUDIENCES}
    width = max(len(audience) for audience in AUDIENCES)
    rows = [" ".join(["    ", *(a.rjust(width) for a in AUDIENCES), " năng lực"])]
    for competence in registry.framework.competences:
        cells = [str(len(counts[a][competence.code])).rjust(width) for a in AUDIENCES]
        rows.append(" ".join([competence.code.ljust(4), *cells, "", competence.name_vi]))
    return rows
