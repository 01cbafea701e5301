"""Privacy pages. Views stay thin: the rules are in ``erasure``, ``deletion``, ``my_data``
and, for who may act on a relative, ``app.guided.relative_rules``."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app import audit
from app.audit import actions
from app.auth.access import learner_required, login_required, public, roles_required
from app.dates import today
from app.extensions import db
from app.guided.relative_rules import may_manage_relative
from app.models import Relative, Role
from app.privacy import bp, deletion, retention
from app.privacy.erasure import PrivacyError, withdraw_consent
from app.privacy.forms import DeletionAskForm, DeletionDecisionForm, WithdrawForm
from app.privacy.my_data import personal_data


def _refuse(status: int, message: object):
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=_("Không thực hiện được"),
            message=str(message),
        ),  # fmt: skip
        status,
    )


@bp.route("/")
@public
def notice():
    """The privacy notice in plain Vietnamese, linked from every page's footer."""
    return render_template(
        "privacy/notice.html",
        phone_days=retention.phone_days(),
        claim_code_days=retention.claim_code_days(),
    )


@bp.route("/my-data")
@login_required
def my_data():
    """A readable copy of one's own data, with the download and the deletion request."""
    return render_template(
        "privacy/my_data.html",
        data=personal_data(current_user),
        deletion_request=deletion.latest_of(current_user),
        ask_form=DeletionAskForm(),
        can_ask=current_user.is_learner,
    )


@bp.route("/my-data.json")
@login_required
def my_data_json():
    """The same copy as a machine-readable file."""
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=2)
    audit.record(actions.DOWNLOAD, target_user=current_user, detail={"what": "my_data"},
                 commit=True)  # fmt: skip
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="du-lieu-cua-toi-{today().isoformat()}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/deletion-request", methods=["POST"])
@learner_required
def ask_deletion():
    form = DeletionAskForm()
    if not form.validate_on_submit():
        return _refuse(400, next(iter(sum(form.errors.values(), [])), _("Dữ liệu không đúng.")))
    try:
        deletion.ask(current_user, (form.reason.data or "").strip())
    except PrivacyError as error:
        return _refuse(409, error.message)
    flash(_("Đã gửi yêu cầu xoá. Ban giám hiệu sẽ trả lời bạn trên trang này."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.route("/deletion-requests")
@roles_required(Role.SCHOOL_ADMIN)
def deletion_requests():
    """The school admin's list of requests from their own school."""
    return render_template(
        "privacy/deletion_requests.html",
        requests=deletion.school_requests(current_user),
        form=DeletionDecisionForm(),
    )


@bp.route("/deletion-requests/<int:request_id>", methods=["POST"])
@roles_required(Role.SCHOOL_ADMIN)
def decide_deletion(request_id: int):
    request = deletion.decidable(current_user, request_id)
    if request is None:
        abort(404)
    form = DeletionDecisionForm()
    if not form.validate_on_submit():
        return _refuse(400, next(iter(sum(form.errors.values(), [])), _("Dữ liệu không đúng.")))
    try:
        deletion.decide(
            request, current_user, form.decision.data == "approve", form.reason.data.strip()
        )
    except PrivacyError as error:
        return _refuse(409, error.message)
    flash(_("Đã ghi quyết định."), "success")
    return redirect(url_for("privacy.deletion_requests"))


@bp.route("/relatives/<int:relative_id>/withdraw", methods=["GET", "POST"])
@roles_required(Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
def withdraw_for_relative(relative_id: int):
    """The student who registered her (or an approved sibling) or the teacher withdraws
    the relative's consent on her behalf."""
    relative = db.session.get(Relative, relative_id)
    if relative is None or not may_manage_relative(current_user, relative):
        abort(404)
    back = (
        url_for("guided.relatives")
        if current_user.role == Role.STUDENT
        else url_for("guided.class_relatives")
    )
    return _withdraw(relative, back, back)


@bp.route("/withdraw", methods=["GET", "POST"])
@roles_required(Role.PARENT)
def withdraw_own():
    """A relative withdraws her own consent from her account (which then closes)."""
    relative = db.session.scalar(db.select(Relative).where(Relative.account_id == current_user.id))
    if relative is None:
        abort(404)
    return _withdraw(relative, url_for("family.home"), url_for("privacy.notice"))


def _withdraw(relative: Relative, cancel_url: str, done_url: str):
    if relative.erased_at is not None:
        return _refuse(409, _("Người thân này đã rút đồng ý rồi. Thông tin đã được xoá."))
    form = WithdrawForm()
    if form.validate_on_submit():
        own = relative.account_id == current_user.id
        try:
            withdraw_consent(relative)
        except PrivacyError as error:
            return _refuse(409, error.message)
        if own:
            logout_user()
        flash(_("Đã rút lại đồng ý. Họ tên, năm sinh và số điện thoại đã được xoá."), "success")
        return redirect(done_url)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "privacy/withdraw.html", form=form, relative=relative, cancel_url=cancel_url
    ), status
