"""A report dictionary laid out as titled tables: what the page shows and what the .xlsx
and .csv files hold, cell for cell.

Cells keep their type (count, share, target…) so the spreadsheet gets real numbers while
the page and the CSV print the same text through ``format_cell``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _

from app.models.org import SchoolLevel
from app.models.reports import ReportSnapshot, SnapshotPeriod, TargetGroup
from app.reports.targets import GROUP_LABELS, LEVEL_LABELS, Target

EMPTY = "—"


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    SHARE = "share"  # a fraction 0–1, shown as a percentage
    TARGET = "target"  # a target's JSON, shown as "≥ 80%"
    MET = "met"  # True / False / None
    NUMBER = "number"  # a decimal figure such as a score


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    key: str  # stable id, used for the HTML anchor
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple] = field(default_factory=list)
    note: str | None = None

    def formatted(self) -> list[list[str]]:
        """The text of every cell, as the page and the CSV print it."""
        return [[text for _column, _raw, text in row] for row in self.cells()]

    def cells(self) -> list[list[tuple[Column, object, str]]]:
        """(column, raw value, text) for every cell: the page styles by the raw value."""
        return [
            [(c, v, format_cell(c.kind, v)) for c, v in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]


def share_of(achieved: int, total: int) -> float | None:
    return achieved / total if total else None


def format_share(value: float | None) -> str:
    """One decimal, rounded down, so 79.96% never reads as a target of 80% met."""
    if value is None:
        return EMPTY
    tenths = int(value * 1000 + 1e-9) / 10
    return format_decimal(tenths, format="#,##0.#") + "%"


def format_cell(kind: Kind, value) -> str:
    if value is None:
        return EMPTY
    if kind is Kind.SHARE:
        return format_share(value)
    if kind is Kind.TARGET:
        return Target.from_json(value).label
    if kind is Kind.MET:
        return _("Đạt") if value else _("Chưa đạt")
    if kind is Kind.COUNT:
        return format_decimal(value, format="#,##0")
    if kind is Kind.NUMBER:
        return format_decimal(value, format="#,##0.0")
    return str(value)


def group_label(group: str) -> str:
    return str(GROUP_LABELS[TargetGroup(group)])


def level_label(level: str) -> str:
    return str(LEVEL_LABELS[SchoolLevel(level)])


def _group_row(label: str, f: dict) -> tuple:
    return (
        label,
        f["achieved"],
        f["total"],
        share_of(f["achieved"], f["total"]),
        f["ward_target"],
        f["ward_met"],
        f["school_target"],
        f["school_met"],
    )


def _group_columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first),
        Column(_("Đạt"), Kind.COUNT),
        Column(_("Tổng số"), Kind.COUNT),
        Column(_("Tỉ lệ"), Kind.SHARE),
        Column(_("Chỉ tiêu phường"), Kind.TARGET),
        Column(_("So với chỉ tiêu phường"), Kind.MET),
        Column(_("Chỉ tiêu trường"), Kind.TARGET),
        Column(_("So với chỉ tiêu trường"), Kind.MET),
    )


def school_tables(report: dict) -> list[Table]:
    school = report["school"]
    groups = Table(
        "nhom",
        _("Kết quả theo nhóm"),
        _group_columns(_("Nhóm")),
        [_group_row(group_label(f["group"]), f) for f in school["groups"]],
    )
    class_columns = (
        Column(_("Lớp")),
        Column(_("Đạt"), Kind.COUNT),
        Column(_("Tổng số"), Kind.COUNT),
        Column(_("Tỉ lệ"), Kind.SHARE),
        Column(_("So với chỉ tiêu phường"), Kind.MET),
        Column(_("So với chỉ tiêu trường"), Kind.MET),
    )
    tables = [groups]
    for key, title, group in (
        ("hoc-sinh-theo-lop", _("Học sinh đạt theo lớp"), "students"),
        ("phu-huynh-theo-lop", _("Phụ huynh, người thân đạt theo lớp"), "parents"),
    ):
        tables.append(
            Table(
                key,
                title,
                class_columns,
                [
                    (
                        c["name"],
                        c[group]["achieved"],
                        c[group]["total"],
                        share_of(c[group]["achieved"], c[group]["total"]),
                        c[group]["ward_met"],
                        c[group]["school_met"],
                    )
                    for c in school["classes"]
                ],
            )
        )
    tables.append(
        _ways_table(
            _("Lớp"),
            [(c["name"], c["parents"]) for c in school["classes"]]
            + [(_("Toàn trường"), school["groups"][2])],
        )
    )
    ranked = sorted(school["classes"], key=lambda c: (c["rank"] is None, c["rank"] or 0, c["name"]))
    tables.append(
        Table(
            "thi-dua",
            _("Thi đua giữa các lớp"),
            (
                Column(_("Hạng"), Kind.COUNT),
                Column(_("Lớp")),
                Column(_("Sĩ số"), Kind.COUNT),
                Column(_("Học sinh đạt"), Kind.SHARE),
                Column(_("Người thân đã hướng dẫn"), Kind.COUNT),
                Column(_("Năng lực số (trung bình)"), Kind.SHARE),
                Column(_("Điểm"), Kind.NUMBER),
            ),
            [
                (
                    c["rank"],
                    c["name"],
                    c["size"],
                    share_of(c["students"]["achieved"], c["students"]["total"]),
                    c["relatives_trained"],
                    c["competence_share"] if c["size"] else None,
                    c["score"],
                )
                for c in ranked
            ],
            note=_(
                "Điểm = 50% tỉ lệ học sinh đạt + 30% số người thân đã hướng dẫn trên mỗi học "
                "sinh (tối đa 1) + 20% tỉ lệ năng lực số trung bình. Chỉ tính buổi hướng dẫn "
                "đã được xác nhận."
            ),
        )
    )
    return tables


def _ways_table(first: str, lines: list[tuple[str, dict]]) -> Table:
    """Parents and relatives achieved, by each of the two ways (docs/reports.md)."""
    return Table(
        "phu-huynh-theo-cach",
        _("Phụ huynh, người thân đạt theo cách"),
        (
            Column(first),
            Column(_("Được học sinh hướng dẫn"), Kind.COUNT),
            Column(_("Tự học"), Kind.COUNT),
            Column(_("Đạt"), Kind.COUNT),
            Column(_("Tổng số"), Kind.COUNT),
        ),
        [
            (label, f.get("by_guidance"), f.get("by_self_study"), f["achieved"], f["total"])
            for label, f in lines
        ],
        note=_(
            "Được học sinh hướng dẫn: các buổi hướng dẫn đã được nhà trường xác nhận là đủ. "
            "Tự học: trên tài khoản phụ huynh, đã học xong bài hướng dẫn và qua bài kiểm tra."
        ),
    )


def ward_tables(report: dict) -> list[Table]:
    total = Table(
        "toan-phuong",
        _("Toàn phường"),
        (
            Column(_("Nhóm")),
            Column(_("Đạt"), Kind.COUNT),
            Column(_("Tổng số"), Kind.COUNT),
            Column(_("Tỉ lệ"), Kind.SHARE),
            Column(_("Chỉ tiêu phường"), Kind.TARGET),
            Column(_("So với chỉ tiêu phường"), Kind.MET),
        ),
        [_group_row(group_label(f["group"]), f)[:6] for f in report["total"]],
        note=_("Chỉ tiêu phường của toàn phường chỉ hiện khi mọi trường có cùng chỉ tiêu."),
    )
    tables = [total]
    for index, group in enumerate(TargetGroup):
        tables.append(
            Table(
                f"theo-truong-{group.value}",
                _("%(group)s theo trường", group=group_label(group)),
                _group_columns(_("Trường")),
                [_group_row(s["name"], s["groups"][index]) for s in report["schools"]],
            )
        )
    tables.append(
        _ways_table(
            _("Trường"),
            [(s["name"], s["groups"][2]) for s in report["schools"]]
            + [(_("Toàn phường"), report["total"][2])],
        )
    )
    return tables


def report_tables(report: dict) -> list[Table]:
    return school_tables(report) if report["kind"] == "school" else ward_tables(report)


def period_label(snapshot: ReportSnapshot) -> str:
    start, end = snapshot.period_start, snapshot.period_end
    if snapshot.period is SnapshotPeriod.WEEK:
        return _("Tuần %(start)s – %(end)s", start=f"{start:%d/%m}", end=f"{end:%d/%m/%Y}")
    return _("Tháng %(month)s", month=f"{start:%m/%Y}")


def report_title(report: dict) -> str:
    if report["kind"] == "school":
        return _("Báo cáo “Bình dân học vụ số” — %(name)s", name=report["school"]["name"])
    return _("Báo cáo “Bình dân học vụ số” — %(name)s", name=report["ward"]["name"])


def report_header(report: dict, snapshot: ReportSnapshot | None = None) -> list[tuple[str, str]]:
    """The lines above the tables: what, where, which year and period, as of when."""
    lines = [(_("Tên báo cáo"), report_title(report)), (_("Năm học"), report["school_year"])]
    if snapshot is not None:
        lines.append((_("Kỳ báo cáo"), period_label(snapshot)))
    generated = datetime.fromisoformat(report["generated_at"])
    lines.append((_("Số liệu tính đến"), format_datetime(generated, "HH:mm dd/MM/yyyy")))
    return lines
