"""The public page where a relative claims their own account with a one-time code."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.auth.access import public
from app.extensions import limiter
from app.guided import bp, claims
from app.guided.exceptions import GuidedError
from app.guided.forms import ClaimForm

DEFAULT_CLAIM_RATE_LIMIT = "10 per hour"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/claim", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config.get("GUIDED_CLAIM_RATE_LIMIT", DEFAULT_CLAIM_RATE_LIMIT),
    methods=["POST"],
    deduct_when=_failed,
)
def claim():
    if current_user.is_authenticated:
        flash(_("Bạn đang đăng nhập. Hãy đăng xuất trước khi nhận tài khoản mới."), "info")
        return redirect(url_for("main.home"))
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            user = claims.claim_account(form.code.data, form.username.data, form.password.data)
        except GuidedError as error:
            form.code.errors = [*form.code.errors, str(error.message)]
            return render_template("guided/claim.html", form=form), 400
        else:
            session.clear()
            login_user(user)
            flash(_("Chào mừng bác! Tài khoản của bác đã sẵn sàng."), "success")
            return redirect(url_for("family.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("guided/claim.html", form=form), status
