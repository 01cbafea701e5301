"""The teacher's verification queue: look at a passed session, confirm or reject it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.routes import safe_next
from app.guided import bp, review, trust
from app.guided.exceptions import GuidedError
from app.guided.forms import RejectForm, ReviewForm, first_error
from app.guided.review_cards import review_cards
from app.models import GuidedSession, Role

REVIEWERS = (Role.TEACHER, Role.SCHOOL_ADMIN)


def _reviewable(session_id: int) -> GuidedSession:
    session = review.session_for_reviewer(current_user, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/review")
@roles_required(REVIEWERS)
def review_queue():
    sessions = review.review_queue(current_user)
    return render_template(
        "guided/review_queue.html",
        cards=review_cards(sessions),
        classes=current_user.homeroom_classes() if current_user.role == Role.TEACHER else [],
        min_seconds=trust.min_seconds_per_step(),
    )


@bp.route("/review/<int:session_id>")
@roles_required(REVIEWERS)
def review_session(session_id: int):
    session = _reviewable(session_id)
    return render_template(
        "guided/review_session.html",
        card=review_cards([session])[0],
        min_seconds=trust.min_seconds_per_step(),
    )


@bp.route("/review/<int:session_id>/confirm", methods=["POST"])
@roles_required(REVIEWERS)
def confirm_session(session_id: int):
    session = _reviewable(session_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
    else:
        try:
            review.confirm(session, current_user, form.note.data, form.version.data)
        except GuidedError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("Đã xác nhận: %(relative)s (%(student)s hướng dẫn).",
                  relative=session.relative.full_name, student=session.student.full_name),
                "success",
            )  # fmt: skip
    return _back(session)


@bp.route("/review/<int:session_id>/reject", methods=["POST"])
@roles_required(REVIEWERS)
def reject_session(session_id: int):
    session = _reviewable(session_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return redirect(url_for("guided.review_session", session_id=session.id))
    try:
        review.reject(session, current_user, form.reason.data, form.version.data)
    except GuidedError as error:
        flash(str(error.message), "error")
        return redirect(url_for("guided.review_session", session_id=session.id))
    flash(
        _("Đã từ chối: %(relative)s (%(student)s hướng dẫn). Buổi này không được tính.",
          relative=session.relative.full_name, student=session.student.full_name),
        "info",
    )  # fmt: skip
    return _back(session)


def _back(session: GuidedSession):
    return redirect(safe_next(request.form.get("next"), url_for("guided.review_queue")))
