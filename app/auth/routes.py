from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp
from app.auth.access import login_required, public
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.services import (
    AuthError,
    authenticate,
    change_password,
    end_all_sessions,
    normalise_username,
)
from app.extensions import limiter


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow redirects to a path on this site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def _typed_username() -> str:
    return normalise_username(request.form.get("username", ""))[:60]


def _login_key() -> str:
    """Failures are counted per username and address: one child mistyping does not lock
    out a whole class that shares the school's IP address."""
    return f"login:{request.remote_addr}:{_typed_username()}"


def _account_key() -> str:
    """Failures on one account from every address together: spreading guesses over many
    addresses does not make them faster."""
    return f"login-account:{_typed_username()}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"], deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None or not user.is_active:
            form.password.errors.append(
                _("Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại và thử lần nữa.")
            )
        else:
            session.clear()  # a new session at sign-in: no fixation
            login_user(user, remember=form.remember.data)
            if user.must_change_password:
                flash(_("Đây là mật khẩu tạm thời. Hãy đặt mật khẩu của riêng bạn."), "info")
                return redirect(url_for("auth.change_password_view"))
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        end_all_sessions(current_user._get_current_object())  # copied cookies die too
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password_view():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except AuthError:
            form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            login_user(current_user._get_current_object())  # keep this session only
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("main.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/change_password.html", form=form), status
