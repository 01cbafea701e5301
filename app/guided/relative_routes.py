"""The student's relatives (register, correct, see what each can do) and the class view."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import roles_required
from app.content import get_content
from app.extensions import db
from app.guided import bp, claims, content, services
from app.guided.exceptions import GuidedError
from app.guided.forms import RelativeForm
from app.guided.relatives import (
    RELATIONS,
    achievements_by_relative,
    find_matches,
    masked_phone,
    other_students_count,
    register_relative,
    student_link,
    student_links,
    update_relative,
)
from app.guided.relatives import class_relatives as class_relative_rows
from app.models import Classroom, Role
from app.outcomes import class_relatives_trained, relatives_helped
from app.teach.services import can_manage_classroom

STAFF_REVIEWERS = (Role.TEACHER, Role.SCHOOL_ADMIN)


@bp.route("/")
@roles_required(Role.STUDENT)
def relatives():
    """The student's page: the relatives they help and what each can now do."""
    links = student_links(current_user)
    return render_template(
        "guided/relatives.html",
        links=links,
        achievements=achievements_by_relative([link.relative_id for link in links]),
        open_sessions=services.open_sessions(current_user),
        helped=relatives_helped([current_user.id])[current_user.id],
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
    )


@bp.route("/relatives/new", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
def add_relative():
    form = RelativeForm()
    if form.validate_on_submit():
        data = form.to_input()
        if not form.same_as.data:
            matches = find_matches(current_user, data)
            if matches:
                return render_template(
                    "guided/relative_match.html",
                    form=form,
                    matches=matches,
                    mine={m.id for m in matches if student_link(current_user, m.id)},
                    others=other_students_count([m.id for m in matches], current_user),
                    masked_phone=masked_phone,
                )
        try:
            link = register_relative(current_user, data, form.same_as_id())
        except GuidedError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Đã lưu người thân %(name)s.", name=link.relative.full_name), "success")
            return redirect(url_for("guided.relative_detail", relative_id=link.relative_id))
    return render_template("guided/relative_form.html", form=form, link=None)


@bp.route("/relatives/<int:relative_id>")
@roles_required(Role.STUDENT)
def relative_detail(relative_id: int):
    link = _own_link(relative_id)
    return render_template(
        "guided/relative_detail.html",
        link=link,
        relative=link.relative,
        achievements=achievements_by_relative([relative_id]).get(relative_id, []),
        sessions=services.relative_sessions(current_user, relative_id),
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
        code_expiry=claims.active_code_expiry(link.relative),
        form=FlaskForm(),
    )


@bp.route("/relatives/<int:relative_id>/edit", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
def edit_relative(relative_id: int):
    link = _own_link(relative_id)
    relative = link.relative
    form = RelativeForm(
        obj=relative,
        relation=link.relation,
        consent=True,
        consent_on=link.consent_on,
        parent_informed=True,
        parent_informed_on=link.parent_informed_on,
    )
    if form.validate_on_submit():
        update_relative(link, form.to_input())
        flash(_("Đã lưu thay đổi."), "success")
        return redirect(url_for("guided.relative_detail", relative_id=relative_id))
    return render_template("guided/relative_form.html", form=form, link=link)


@bp.route("/relatives/<int:relative_id>/claim-code", methods=["POST"])
@roles_required(Role.STUDENT)
def issue_claim_code(relative_id: int):
    """Show a new one-time code once; only its hash is kept."""
    link = _own_link(relative_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        issued = claims.issue_code(link.relative, current_user)
    except GuidedError as error:
        flash(str(error.message), "error")
        return redirect(url_for("guided.relative_detail", relative_id=relative_id))
    return make_response(
        render_template("guided/claim_code.html", link=link, relative=link.relative, issued=issued)
    )


@bp.route("/classes/relatives")
@bp.route("/classes/<int:classroom_id>/relatives")
@roles_required(STAFF_REVIEWERS)
def class_relatives(classroom_id: int | None = None):
    """A homeroom teacher's (or the school admin's) view of one class's relatives."""
    classes = _visible_classes()
    if classroom_id is None:
        classroom = classes[0] if classes else None
    else:
        classroom = db.session.get(Classroom, classroom_id)
        if classroom is None or not can_manage_classroom(current_user, classroom):
            abort(404)
    rows = class_relative_rows(classroom) if classroom else []
    return render_template(
        "guided/class_relatives.html",
        classroom=classroom,
        classes=classes,
        rows=rows,
        class_student_ids={row.student.id for row in rows},
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
        helped=class_relatives_trained(classroom, get_content()) if classroom else 0,
    )


def _own_link(relative_id: int):
    """The student's registration of this relative; anyone else's looks missing (404)."""
    link = student_link(current_user, relative_id)
    if link is None:
        abort(404)
    return link


def _visible_classes() -> list[Classroom]:
    if current_user.role == Role.SCHOOL_ADMIN:
        return list(
            db.session.scalars(
                db.select(Classroom)
                .where(Classroom.school_id == current_user.school_id)
                .order_by(Classroom.school_year.desc(), Classroom.grade, Classroom.name)
            )
        )
    return current_user.homeroom_classes()
