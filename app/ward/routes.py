"""The ward officer's page of schools (aggregates only) and the ward's targets."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.models import Role, SchoolLevel
from app.models.reports import SnapshotScope, TargetGroup
from app.reports.forms import TargetsForm, school_year_choices
from app.reports.services import (
    current_school_year,
    headline_groups,
    live_ward_report,
    rules_summary,
    trend_charts,
)
from app.reports.snapshots import local_today
from app.reports.tables import report_header, report_tables
from app.reports.targets import (
    GROUP_LABELS,
    LEVEL_LABELS,
    TargetError,
    set_ward_targets,
    ward_targets_in_force,
)
from app.ward import bp


def _ward():
    if current_user.ward is None:
        abort(404)
    return current_user.ward


def _year(years: list[str]) -> str:
    year = request.values.get("school_year") or current_school_year()
    return year if year in years else current_school_year()


@bp.route("/")
@roles_required(Role.WARD_OFFICER)
def home():
    ward = _ward()
    report = live_ward_report(ward)
    return render_template(
        "ward/home.html",
        ward=ward,
        report=report,
        groups=headline_groups(report),
        header=report_header(report),
        tables=report_tables(report),
        definitions=rules_summary(report["school_year"]),
        charts=trend_charts(SnapshotScope.WARD, ward.id, report),
    )


@bp.route("/targets")
@roles_required(Role.WARD_OFFICER)
def targets():
    ward = _ward()
    years = school_year_choices(local_today())
    year = _year(years)
    return render_template(
        "ward/targets.html",
        ward=ward,
        year=year,
        years=years,
        levels=list(SchoolLevel),
        groups=list(TargetGroup),
        targets=ward_targets_in_force(ward.id, year),
        level_labels=LEVEL_LABELS,
        group_labels=GROUP_LABELS,
    )


@bp.route("/targets/<level>", methods=["GET", "POST"])
@roles_required(Role.WARD_OFFICER)
def edit_targets(level: str):
    try:
        school_level = SchoolLevel(level)
    except ValueError:
        abort(404)
    ward = _ward()
    years = school_year_choices(local_today())
    year = _year(years)
    form = TargetsForm(years=years)
    in_force = ward_targets_in_force(ward.id, year, [school_level])
    if request.method == "GET":
        form.school_year.data = year
        # start from the targets in force (perhaps carried from an earlier year)
        form.fill({group: target for (_level, group), target in in_force.items()})
    elif form.validate_on_submit():
        try:
            set_ward_targets(ward.id, school_level, year, form.values(), current_user)
        except TargetError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("Đã lưu chỉ tiêu %(level)s năm học %(year)s.", level=LEVEL_LABELS[school_level],
                  year=year),
                "success",
            )  # fmt: skip
            return redirect(url_for("ward.targets", school_year=year))
    return render_template(
        "ward/edit_targets.html",
        carried_from=sorted({t.school_year for t in in_force.values()} - {year}),
        ward=ward,
        form=form,
        year=year,
        level=school_level,
        level_label=LEVEL_LABELS[school_level],
    ), (400 if request.method == "POST" else 200)  # refused input: a 4xx
