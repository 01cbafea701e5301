"""Periodic reports: the list, the on-demand button, a frozen report, and exports."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.auth.access import roles_required
from app.content import get_content
from app.extensions import db
from app.models import Role
from app.models.reports import ReportSnapshot, SnapshotPeriod, SnapshotScope
from app.reports import bp
from app.reports.forms import SnapshotForm
from app.reports.services import (
    EXPORT_FORMATS,
    can_view_snapshot,
    export_file,
    headline_groups,
    live_school_report,
    live_ward_report,
)
from app.reports.snapshots import Outcome, local_today, period_of, snapshots_of, take_snapshot
from app.reports.tables import period_label, report_header, report_tables


def _download(report: dict, fmt: str, snapshot: ReportSnapshot | None = None) -> Response:
    if fmt not in EXPORT_FORMATS:
        abort(404)
    body, media_type, filename = export_file(report, fmt, snapshot)
    audit.record(
        audit.actions.EXPORT, target=snapshot, detail={"format": fmt, "file": filename}, commit=True
    )
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _school():
    if current_user.school is None:
        abort(404)
    return current_user.school


def _ward():
    if current_user.ward is None:
        abort(404)
    return current_user.ward


@bp.route("/school")
@roles_required(Role.SCHOOL_ADMIN)
def school():
    school = _school()
    return render_template(
        "reports/list.html",
        title=_("Báo cáo định kỳ"),
        name=school.name,
        snapshots=snapshots_of(SnapshotScope.SCHOOL, school.id),
        form=SnapshotForm(),
        export_endpoint="reports.school_export",
        period_label=period_label,
        headline_groups=headline_groups,
    )


@bp.route("/school/snapshot", methods=["POST"])
@roles_required(Role.SCHOOL_ADMIN)
def take_school_snapshot():
    school = _school()
    form = SnapshotForm()
    if not form.validate_on_submit():
        flash(_("Không lập được báo cáo: hãy chọn tuần hoặc tháng rồi thử lại."), "error")
        return redirect(url_for("reports.school"))
    period = period_of(SnapshotPeriod(form.period.data), local_today())
    snapshot, outcome = take_snapshot(school, period, get_content(), by_id=current_user.id)
    db.session.commit()
    if outcome is Outcome.KEPT:
        flash(_("Báo cáo kỳ này đã chốt, không thay đổi nữa."), "info")
    else:
        flash(_("Đã lập báo cáo %(period)s.", period=period_label(snapshot)), "success")
    return redirect(url_for("reports.snapshot", snapshot_id=snapshot.id))


@bp.route("/school/export.<fmt>")
@roles_required(Role.SCHOOL_ADMIN)
def school_export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    return _download(live_school_report(_school()), fmt)


@bp.route("/ward")
@roles_required(Role.WARD_OFFICER)
def ward():
    ward = _ward()
    return render_template(
        "reports/list.html",
        title=_("Báo cáo định kỳ"),
        name=ward.name,
        snapshots=snapshots_of(SnapshotScope.WARD, ward.id),
        form=None,
        export_endpoint="reports.ward_export",
        period_label=period_label,
        headline_groups=headline_groups,
    )


@bp.route("/ward/export.<fmt>")
@roles_required(Role.WARD_OFFICER)
def ward_export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    return _download(live_ward_report(_ward()), fmt)


def _visible_snapshot(snapshot_id: int) -> ReportSnapshot:
    snapshot = db.get_or_404(ReportSnapshot, snapshot_id)
    if not can_view_snapshot(current_user, snapshot):
        abort(403)
    return snapshot


@bp.route("/<int:snapshot_id>")
@roles_required(Role.SCHOOL_ADMIN, Role.WARD_OFFICER)
def snapshot(snapshot_id: int):
    snapshot = _visible_snapshot(snapshot_id)
    return render_template(
        "reports/snapshot.html",
        snapshot=snapshot,
        report=snapshot.data,
        header=report_header(snapshot.data, snapshot),
        tables=report_tables(snapshot.data),
        period=period_label(snapshot),
    )


@bp.route("/<int:snapshot_id>/export.<fmt>")
@roles_required(Role.SCHOOL_ADMIN, Role.WARD_OFFICER)
def snapshot_export(snapshot_id: int, fmt: str):
    snapshot = _visible_snapshot(snapshot_id)
    return _download(snapshot.data, fmt, snapshot)
