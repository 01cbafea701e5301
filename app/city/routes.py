"""The city officer's pages (Sở GD&ĐT): wards side by side, each ward's schools, exports,
and new one-time passwords for the province's ward officers."""

from __future__ import annotations

import re
import unicodedata

from flask import Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.city import bp
from app.city.figures import province_report
from app.city.tables import province_header, province_tables
from app.models import Role
from app.reports.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from app.reports.services import EXPORT_FORMATS, rules_summary


def _province():
    if current_user.province is None:
        abort(404)
    return current_user.province


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "bao-cao"


@bp.route("/")
@roles_required(Role.CITY_OFFICER)
def home():
    province = _province()
    report = province_report(province)
    return render_template(
        "city/home.html",
        province=province,
        report=report,
        header=province_header(report),
        tables=province_tables(report),
        definitions=rules_summary(report["school_year"]),
    )


@bp.route("/export.<fmt>")
@roles_required(Role.CITY_OFFICER)
def export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    province = _province()
    report = province_report(province)
    header, tables = province_header(report), province_tables(report)
    when = (report["generated_at"] or "")[:10]
    filename = f"bao-cao-{_slug(province.name)}-{when}.{fmt}"
    if fmt == "csv":
        body, media_type = to_csv(header, tables), CSV_MEDIA_TYPE
    else:
        body, media_type = to_xlsx(header, tables, _("Báo cáo")), XLSX_MEDIA_TYPE
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
