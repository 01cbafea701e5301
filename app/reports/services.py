"""What the report pages need: live reports, trends, exports and who may see what.

Views stay thin: they pick the school or ward of the signed-in user, call one of these and
render the result. Every figure comes from ``school_report`` (live) or a frozen snapshot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup

from app.content import get_content
from app.models import Role, School, User, Ward
from app.models.org import school_year_for
from app.models.reports import ReportSnapshot, SnapshotScope, TargetGroup
from app.outcomes import rules_for
from app.reports.charts import TargetLine, line_chart
from app.reports.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from app.reports.school_report import build_school_report, build_ward_report
from app.reports.snapshots import local_today, weekly_trend
from app.reports.tables import format_share, group_label, report_header, report_tables
from app.reports.targets import Target

EXPORT_FORMATS = ("xlsx", "csv")


def current_school_year(now: datetime | None = None) -> str:
    return school_year_for(local_today(now))


def live_school_report(school: School, now: datetime | None = None) -> dict:
    return build_school_report(school, current_school_year(now), get_content(), now)


def live_ward_report(ward: Ward, now: datetime | None = None) -> dict:
    return build_ward_report(ward, current_school_year(now), get_content(), now)


def headline_groups(report: dict) -> list[dict]:
    """The three group figures at the top of a report (a school's, or the ward total)."""
    return report["school"]["groups"] if report["kind"] == "school" else report["total"]


def can_view_snapshot(user: User, snapshot: ReportSnapshot) -> bool:
    """A school admin sees their school's reports, a ward officer their ward's."""
    if snapshot.scope is SnapshotScope.SCHOOL:
        return user.role == Role.SCHOOL_ADMIN and user.school_id == snapshot.scope_id
    return user.role == Role.WARD_OFFICER and user.ward_id == snapshot.scope_id


@dataclass(frozen=True)
class TrendChart:
    group: str
    title: str
    svg: Markup
    points: list[tuple[str, str]]  # (label, share) for the table under the chart


def trend_charts(scope: SnapshotScope, scope_id: int, live: dict) -> list[TrendChart]:
    """One chart per group: the weekly snapshots of the school year, then today's figure,
    against the targets in force today."""
    snapshots = weekly_trend(scope, scope_id, live["school_year"])
    labels = [f"{s.period_start:%d/%m}" for s in snapshots] + [_("Nay")]
    reports = [s.data for s in snapshots] + [live]
    charts = []
    for index, group in enumerate(TargetGroup):
        values = []
        for report in reports:
            figure = headline_groups(report)[index]
            values.append(figure["achieved"] / figure["total"] if figure["total"] else None)
        now = headline_groups(live)[index]
        lines = []
        for key, css, label in (
            ("ward_target", "target-ward", _("Chỉ tiêu phường")),
            ("school_target", "target-school", _("Chỉ tiêu trường")),
        ):
            target = Target.from_json(now[key])
            if target is not None:
                lines.append(TargetLine(f"{label} {target.label}", target.percent / 100, css))
        title = _("%(group)s: tỉ lệ đạt theo tuần", group=group_label(group))
        points = [(label, format_share(v)) for label, v in zip(labels, values, strict=True)]
        description = "; ".join(f"{label}: {share}" for label, share in points)
        charts.append(
            TrendChart(
                group.value,
                title,
                line_chart(f"xu-huong-{group.value}", title, description, labels, values, lines),
                points,
            )
        )
    return charts


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "bao-cao"


def export_file(
    report: dict, fmt: str, snapshot: ReportSnapshot | None = None
) -> tuple[bytes, str, str]:
    """(body, media type, file name) of a report as .xlsx or .csv, from the same tables
    the page shows."""
    header = report_header(report, snapshot)
    tables = report_tables(report)
    name = report["school"]["name"] if report["kind"] == "school" else report["ward"]["name"]
    when = snapshot.period_key if snapshot else report["generated_at"][:10]
    filename = f"bao-cao-{_slug(name)}-{when}.{fmt}"
    if fmt == "csv":
        return to_csv(header, tables), CSV_MEDIA_TYPE, filename
    return to_xlsx(header, tables, _("Báo cáo")), XLSX_MEDIA_TYPE, filename


def rules_summary(school_year: str) -> list[str]:
    """The year's "achieved" rules in plain Vietnamese, for the foot of each dashboard."""
    rules = rules_for(school_year)
    framework = get_content().framework

    def tasks(ids: tuple[str, ...]) -> str:
        titles = [framework.task(i).title_vi if framework.task(i) else i for i in ids]
        return "; ".join(titles)

    lines = [
        _(
            "Mọi con số tính theo một năm học (01/8 – 31/7). Học sinh được tính: tài khoản "
            "đang hoạt động, có tên trong một lớp của năm học và chưa rời lớp; học sinh "
            "chuyển lớp chỉ tính ở lớp mới, học sinh đã nghỉ học không còn được tính."
        ),
        _(
            "Buổi hướng dẫn được tính: đã đạt, được nhà trường xác nhận, và chứng nhận của "
            "người thân không bị thu hồi."
        ),
        _(
            "Học sinh đạt: hoàn thành lộ trình cốt lõi của khối lớp (mọi bài và bài kiểm tra) "
            "và trong năm học đã hướng dẫn ít nhất %(n)d người thân bằng buổi hướng dẫn được "
            "tính.",
            n=rules.min_relatives,
        ),
        _(
            "Cán bộ, giáo viên, nhân viên đạt: hoàn thành lộ trình dành cho cán bộ hoặc qua ít "
            "nhất %(n)d bài dành cho cán bộ.",
            n=rules.staff_min_passed_lessons,
        ),
    ]
    needed = _("nhiệm vụ %(tasks)s", tasks=tasks(rules.parent_all_of_tasks))
    if rules.parent_one_of_tasks:
        needed += " " + _("và ít nhất một trong: %(tasks)s", tasks=tasks(rules.parent_one_of_tasks))
    lines.append(
        _(
            "Phụ huynh, người thân đạt khi có đủ %(needed)s — theo một trong hai cách, đếm "
            "riêng: được học sinh hướng dẫn (buổi hướng dẫn được tính), hoặc tự học trên tài "
            "khoản phụ huynh (học xong bài hướng dẫn và qua bài kiểm tra của bài). Mỗi nhiệm "
            "vụ có bằng cách nào cũng được; ai đủ nhờ các buổi được hướng dẫn thì đếm là "
            "“được hướng dẫn”, còn lại là “tự học”.",
            needed=needed,
        )
    )
    lines.append(
        _(
            "Mỗi người thân chỉ thuộc một lớp: lớp của học sinh đã hướng dẫn họ trước tiên "
            "(chưa ai hướng dẫn thì lớp của học sinh đăng ký họ). Người thân đã hướng dẫn của "
            "lớp, trường, phường là số người khác nhau trong năm học."
        )
    )
    lines.append(_("“≥ 80%” là từ 80% trở lên; “> 90%” là trên 90%."))
    return lines
