"""``flask reports snapshot`` (for cron) and ``flask bench seed`` (benchmark data).

Cron, in the schools' time zone, closing each week and month just after it ends
(``%`` is escaped for crontab)::

    5 0 * * 1  flask reports snapshot --period week --date "$(date -d yesterday +\\%F)"
    10 0 1 * * flask reports snapshot --period month --date "$(date -d yesterday +\\%F)"
"""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from app.content import get_content
from app.models.reports import SnapshotPeriod
from app.reports import bp
from app.reports.snapshots import local_today, snapshot_everything

reports_cli = AppGroup("reports", help="Báo cáo định kỳ (tuần, tháng).")
bench_cli = AppGroup("bench", help="Dữ liệu và phép đo hiệu năng (bench/).")


@reports_cli.command("snapshot")
@click.option(
    "--period",
    type=click.Choice([p.value for p in SnapshotPeriod]),
    default=SnapshotPeriod.WEEK.value,
    show_default=True,
    help="Báo cáo tuần hay tháng.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Một ngày thuộc kỳ báo cáo (YYYY-MM-DD); mặc định là hôm nay.",
)
def snapshot_command(period: str, day) -> None:
    """Chốt báo cáo của mọi trường và mọi phường cho kỳ chứa ngày đã cho."""
    when: date = day.date() if day else local_today()
    done = snapshot_everything(SnapshotPeriod(period), when, get_content())
    labels = {
        "created": "đã lập",
        "replaced": "đã cập nhật (kỳ chưa kết thúc)",
        "kept": "đã chốt, giữ nguyên",
    }
    for name, snapshot, outcome in done:
        state = "chốt" if snapshot.final else "tạm"
        click.echo(f"{snapshot.period_key}  {name}: {labels[outcome.value]} [{state}]")
    if not done:
        click.echo("Chưa có trường hay phường nào.")


@bench_cli.command("seed")
@click.option("--schools", type=click.IntRange(1, 50), default=1, show_default=True)
@click.option("--students", type=click.IntRange(1, 5000), default=1500, show_default=True,
              help="Học sinh mỗi trường.")  # fmt: skip
@click.option("--rows", type=click.IntRange(0, 2000), default=600, show_default=True,
              help="Số dòng tiến độ mỗi học sinh (bài, lượt làm, kết quả, buổi).")  # fmt: skip
@click.option("--seed", type=int, default=2025, show_default=True)
def bench_seed_command(schools: int, students: int, rows: int, seed: int) -> None:
    """Tạo một phường với các trường, lớp, học sinh và hoạt động học tập giả lập để đo tốc độ."""
    from bench.seed import seed_ward  # bench/ lives beside app/, run from the project root

    summary = seed_ward(schools=schools, students_per_school=students, rows_per_student=rows,
                        seed=seed, echo=click.echo)  # fmt: skip
    click.echo(summary)


bp.cli.add_command(reports_cli)
bp.cli.add_command(bench_cli)
