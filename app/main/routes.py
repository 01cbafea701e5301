from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from app.auth.access import public
from app.auth.routes import safe_next
from app.extensions import csrf, db
from app.i18n import LOCALE_COOKIE
from app.main import bp
from app.models import Role

LARGE_TEXT_COOKIE = "large_text"
YEAR = 60 * 60 * 24 * 365

HOME_ENDPOINTS = {
    Role.STUDENT: "learn.home",
    Role.STAFF: "learn.home",
    Role.TEACHER: "teach.home",
    Role.SCHOOL_ADMIN: "school.home",
    Role.WARD_OFFICER: "ward.home",
    Role.CITY_OFFICER: "city.home",
    Role.PARENT: "family.home",
    Role.ADMIN: "admin.home",
}


@bp.route("/")
@public
def home():
    """Each role lands on its own home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_ENDPOINTS[current_user.role]))


@bp.route("/healthz")
@public
@csrf.exempt
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - report, never raise
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def _back():
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.route("/preferences/large-text", methods=["POST"])
@public
def toggle_large_text():
    """Remembered on the account when signed in, in a cookie otherwise."""
    if current_user.is_authenticated:
        current_user.large_text = not current_user.large_text
        db.session.commit()
        return _back()
    response = _back()
    enabled = request.cookies.get(LARGE_TEXT_COOKIE) != "1"
    response.set_cookie(
        LARGE_TEXT_COOKIE, "1" if enabled else "0", max_age=YEAR, samesite="Lax", httponly=True
    )
    return response


@bp.route("/preferences/locale", methods=["POST"])
@public
def set_locale():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    response = _back()
    response.set_cookie(LOCALE_COOKIE, locale, max_age=YEAR, samesite="Lax", httponly=True)
    return response
