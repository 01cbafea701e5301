"""The city report laid out as tables: what the page shows and the exports hold.

First one table per group with a row per ward (wards side by side against their
targets), then one table per ward with a row per school.
"""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _

from app.models.base import utcnow
from app.models.reports import TargetGroup
from app.reports.tables import Column, Kind, Table, group_label, share_of


def _ward_row(ward_report: dict, index: int) -> tuple:
    total = ward_report["total"][index]
    return (
        ward_report["ward"]["name"],
        len(ward_report["schools"]),
        total["achieved"],
        total["total"],
        share_of(total["achieved"], total["total"]),
        total["ward_target"],
        total["ward_met"],
    )


def province_tables(report: dict) -> list[Table]:
    tables = []
    for index, group in enumerate(TargetGroup):
        rows = [_ward_row(w, index) for w in report["wards"]]
        achieved = sum(r[2] for r in rows)
        total = sum(r[3] for r in rows)
        if rows:
            rows.append(
                (_("Toàn tỉnh, thành phố"), sum(r[1] for r in rows), achieved, total,
                 share_of(achieved, total), None, None)
            )  # fmt: skip
        tables.append(
            Table(
                f"theo-phuong-{group.value}",
                _("%(group)s theo phường, xã", group=group_label(group)),
                (
                    Column(_("Phường, xã")),
                    Column(_("Số trường"), Kind.COUNT),
                    Column(_("Đạt"), Kind.COUNT),
                    Column(_("Tổng số"), Kind.COUNT),
                    Column(_("Tỉ lệ"), Kind.SHARE),
                    Column(_("Chỉ tiêu phường"), Kind.TARGET),
                    Column(_("So với chỉ tiêu phường"), Kind.MET),
                ),
                rows,
                note=_(
                    "Chỉ tiêu của một phường chỉ hiện khi mọi trường của phường có cùng chỉ "
                    "tiêu; bảng từng phường dưới đây so từng trường."
                ),
            )
        )
    school_columns = (
        Column(_("Trường")),
        Column(_("Nhóm")),
        Column(_("Đạt"), Kind.COUNT),
        Column(_("Tổng số"), Kind.COUNT),
        Column(_("Tỉ lệ"), Kind.SHARE),
        Column(_("Chỉ tiêu phường"), Kind.TARGET),
        Column(_("So với chỉ tiêu phường"), Kind.MET),
    )
    for position, ward in enumerate(report["wards"], start=1):
        rows = []
        for school in ward["schools"]:
            for figure in school["groups"]:
                rows.append(
                    (school["name"], group_label(figure["group"]), figure["achieved"],
                     figure["total"], share_of(figure["achieved"], figure["total"]),
                     figure["ward_target"], figure["ward_met"])
                )  # fmt: skip
        tables.append(
            Table(
                f"phuong-{position}",
                _("Các trường — %(ward)s", ward=ward["ward"]["name"]),
                school_columns,
                rows,
            )
        )
    return tables


def province_header(report: dict) -> list[tuple[str, str]]:
    from datetime import datetime

    generated = (
        datetime.fromisoformat(report["generated_at"]) if report["generated_at"] else utcnow()
    )
    return [
        (
            _("Tên báo cáo"),
            _("Báo cáo “Bình dân học vụ số” — %(name)s", name=report["province"]["name"]),
        ),
        (_("Năm học"), report["school_year"]),
        (_("Số liệu tính đến"), format_datetime(generated, "HH:mm dd/MM/yyyy")),
    ]
