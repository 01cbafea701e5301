"""Cùng Học Số: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import errors, links, security, sessions
from app.auth.access import enforce_declared_access
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import select_locale

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config_class: type | None = None) -> Flask:
    from config import config_from_env

    config_class = config_class or config_from_env()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    _require_safe_settings(app)
    _trust_proxies(app)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _init_login(app)
    security.init_app(app)
    sessions.init_app(app)
    links.init_app(app)
    errors.init_app(app)
    app.before_request(enforce_declared_access)

    from app import content

    content.init_app(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_template_helpers(app)

    if not app.config["TESTING"]:
        _check_database(app)
    return app


def _require_safe_settings(app: Flask) -> None:
    """Refuse to start with a guessable SECRET_KEY (any real run) or, in production, with
    a loopback SITE_URL or without Redis for the rate limits."""
    from config import SECRET_KEY_HINT, production_problems, secret_key_problem

    if app.config["TESTING"]:
        return
    if app.config.get("PRODUCTION"):
        problems = production_problems(app.config)
    else:
        problems = [p for p in [secret_key_problem(app.config.get("SECRET_KEY"))] if p]
    if problems:
        hint = f" {SECRET_KEY_HINT}" if any("SECRET_KEY" in p for p in problems) else ""
        raise SystemExit(" ".join(problems) + hint)


def _trust_proxies(app: Flask) -> None:
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from app.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        user_id, _, nonce = token.partition(".")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_nonce != nonce:
            return None
        return user


def _register_blueprints(app: Flask) -> None:
    from app import (
        admin,
        audit,
        auth,
        certificates,
        city,
        family,
        guided,
        learn,
        main,
        org,
        privacy,
        reports,
        roster,
        school,
        teach,
        ward,
    )

    for feature in (main, auth, learn, guided, certificates, teach, school, roster, reports,
                    ward, city, family, privacy, admin, audit, org):  # fmt: skip
        app.register_blueprint(feature.bp)


def _register_cli(app: Flask) -> None:
    from app.demo import demo_command
    from app.org.cli import org_cli
    from app.privacy.cli import privacy_command

    app.cli.add_command(demo_command)
    app.cli.add_command(org_cli)
    app.cli.add_command(privacy_command)


def _register_template_helpers(app: Flask) -> None:
    from flask import request
    from flask_babel import get_locale
    from flask_login import current_user

    from app.main.routes import LARGE_TEXT_COOKIE
    from app.models import Role
    from app.navigation import menu_for

    @app.context_processor
    def inject_globals() -> dict:
        if current_user.is_authenticated:
            large_text = current_user.large_text
            menu = menu_for(current_user.role)
        else:
            large_text = request.cookies.get(LARGE_TEXT_COOKIE) == "1"
            menu = []
        return {
            "Role": Role,
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "large_text": large_text,
            "menu": menu,
        }


def _check_database(app: Flask) -> None:
    """Fail fast at start-up with a line naming the database, never a stack trace."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means the same thing here
        log.error(
            "Cannot reach the database %s (set DATABASE_URL): %s",
            url.render_as_string(hide_password=True),
            exc.__class__.__name__,
        )
        raise SystemExit(1) from None
