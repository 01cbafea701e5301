"""New one-time passwords from the level above, and the login card that carries one."""

from __future__ import annotations

from flask import abort, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.extensions import db
from app.models import Role, User
from app.org import bp, cards, recovery, services
from app.org.forms import ActionForm, CardForm
from app.roster.cards import pdf_file_name

OFFICERS = (Role.ADMIN, Role.CITY_OFFICER, Role.WARD_OFFICER)


def no_store(response):
    """Pages and files showing a password must not stay in any cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def show_new_password(account: services.NewAccount, title: str, status: int = 200):
    """The page that shows a one-time password once, with the button for its card."""
    form = CardForm(token=cards.seal(account, current_user))
    page = render_template(
        "org/new_password.html",
        account=account,
        title=title,
        form=form,
        place=cards.place_of(account.user),
        role_label=cards.role_label(account.user.role),
        minutes=cards.CARD_MINUTES,
    )
    return no_store(make_response(page, status))


@bp.route("/")
@roles_required(OFFICERS)
def index():
    return render_template(
        "org/accounts.html",
        accounts=recovery.resettable_accounts(current_user),
        form=ActionForm(),
        role_label=cards.role_label,
        place_of=cards.place_of,
    )


@bp.route("/<int:user_id>/reset", methods=["POST"])
@roles_required(OFFICERS)
def reset(user_id: int):
    user = db.get_or_404(User, user_id)
    if not recovery.may_reset(current_user, user):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    account = services.reset_password(user)
    return show_new_password(account, _("Đã cấp mật khẩu mới cho %(name)s", name=user.full_name))


@bp.route("/card", methods=["POST"])
@roles_required(OFFICERS)
def card():
    form = CardForm()
    opened = cards.open_sealed(form.token.data or "", current_user) if form.validate() else None
    if opened is None:
        page = render_template("org/card_gone.html")
        return no_store(make_response(page, 410))
    user, password = opened
    response = make_response(cards.card_pdf(user, password))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{pdf_file_name(user.username)}"'
    )
    return no_store(response)
