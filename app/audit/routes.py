"""The security log page: a school admin reads their own school's rows, the site admin
reads every row."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_login import current_user

from app.audit import bp
from app.audit.actions import detail_text, label, role_label
from app.audit.forms import LogFilterForm
from app.audit.services import LogFilter, search, usernames_for
from app.auth.access import roles_required
from app.extensions import db
from app.models import Role, School


@bp.route("/")
@roles_required(Role.SCHOOL_ADMIN, Role.ADMIN)
def index():
    site_admin = current_user.role == Role.ADMIN
    schools = []
    if site_admin:
        schools = db.session.scalars(sa.select(School).order_by(School.name)).all()
    form = LogFilterForm(request.args, schools=schools)
    status = 200
    filters = LogFilter()
    if request.args and not form.validate():
        status = 400
    elif request.args:
        filters = LogFilter(
            school_id=int(form.school.data) if site_admin and form.school.data else None,
            action=form.action.data or None,
            username=form.username.data or None,
            first=form.first.data,
            last=form.last.data,
        )
    restrict = None if site_admin else (current_user.school_id or -1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    events = search(filters, restrict_school_id=restrict, page=page)
    schools_by_id = {s.id: s.name for s in schools}

    def page_url(number: int) -> str:
        return url_for("audit.index", **{**request.args.to_dict(), "page": number})

    return render_template(
        "audit/index.html",
        form=form,
        events=events,
        usernames=usernames_for(list(events.items)),
        label=label,
        role_label=role_label,
        detail_text=detail_text,
        site_admin=site_admin,
        schools_by_id=schools_by_id,
        page_url=page_url,
    ), status
