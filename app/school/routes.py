"""The school admin's dashboard and the school's own targets."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.auth.access import roles_required
from app.extensions import db
from app.models import Classroom, Role
from app.models.reports import SnapshotScope
from app.reports.forms import TargetsForm, school_year_choices
from app.reports.services import (
    current_school_year,
    headline_groups,
    live_school_report,
    rules_summary,
    trend_charts,
)
from app.reports.snapshots import local_today
from app.reports.tables import report_header, report_tables
from app.reports.targets import (
    LEVEL_LABELS,
    TargetError,
    school_targets_in_force,
    set_school_targets,
    ward_targets_in_force,
)
from app.school import bp


def _school():
    if current_user.school is None:
        abort(404)
    return current_user.school


@bp.route("/")
@roles_required(Role.SCHOOL_ADMIN)
def home():
    school = _school()
    report = live_school_report(school)
    classrooms = db.session.scalars(
        sa.select(Classroom)
        .options(selectinload(Classroom.homeroom_teacher))  # one query, not one per class
        .where(Classroom.school_id == school.id, Classroom.school_year == report["school_year"])
        .order_by(Classroom.grade, Classroom.name)
    ).all()
    return render_template(
        "school/home.html",
        school=school,
        report=report,
        groups=headline_groups(report),
        header=report_header(report),
        tables=report_tables(report),
        definitions=rules_summary(report["school_year"]),
        charts=trend_charts(SnapshotScope.SCHOOL, school.id, report),
        classrooms=classrooms,
    )


@bp.route("/targets", methods=["GET", "POST"])
@roles_required(Role.SCHOOL_ADMIN)
def targets():
    school = _school()
    years = school_year_choices(local_today())
    year = request.values.get("school_year") or current_school_year()
    if year not in years:
        year = current_school_year()
    form = TargetsForm(years=years)
    in_force = school_targets_in_force([school.id], year)
    if request.method == "GET":
        form.school_year.data = year
        # start from the targets in force (perhaps carried from an earlier year)
        form.fill({group: target for (_school, group), target in in_force.items()})
    elif form.validate_on_submit():
        try:
            warnings = set_school_targets(school, year, form.values(), current_user)
        except TargetError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Đã lưu chỉ tiêu năm học %(year)s.", year=year), "success")
            for warning in warnings:
                flash(warning, "warning")
            return redirect(url_for("school.targets", school_year=year))
    ward = ward_targets_in_force(school.ward_id, year, [school.level])
    return render_template(
        "school/targets.html",
        carried_from=sorted({t.school_year for t in in_force.values()} - {year}),
        school=school,
        form=form,
        year=year,
        years=years,
        ward_targets={group: target for (_level, group), target in ward.items()},
        level_label=LEVEL_LABELS[school.level],
    ), (400 if request.method == "POST" else 200)  # refused input: a 4xx
