"""Configuration: one class per environment, every setting from the environment.

Select with ``FLASK_CONFIG`` (development, testing, production); ``create_app`` also
accepts a class directly.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _normalise_db_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_secret_key() -> str:
    """Generate a key once and keep it under instance/ so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _normalise_db_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'cunghocso.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "300 per hour")

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # a lost phone stops working within a month
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a slow phone must still submit
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    CONTENT_ROOT = Path(os.environ.get("CONTENT_ROOT", BASE_DIR))
    CONTENT_IMAGE_URL = "/learn/images"
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # The certificates' issuer id: set once, never changed (see app/certificates/identity.py).
    ISSUER_URL = os.environ.get("ISSUER_URL")
    # Addresses this site had before SITE_URL, whose old issuer documents it keeps serving.
    LEGACY_SITE_URLS = tuple(u for u in os.environ.get("LEGACY_SITE_URLS", "").split() if u)
    REFUSE_LOOPBACK_SITE_URL = False  # production: never sign a loopback address
    # Retention (Law 91/2025): see app/privacy/purge.py and the README's cron line.
    PRIVACY_PHONE_RETENTION_DAYS = int(os.environ.get("PRIVACY_PHONE_RETENTION_DAYS", "365"))
    PRIVACY_CLAIM_CODE_RETENTION_DAYS = int(
        os.environ.get("PRIVACY_CLAIM_CODE_RETENTION_DAYS", "30")
    )
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = False  # the debugger is opt-in: FLASK_DEBUG=1
    SECRET_KEY = Config.SECRET_KEY or _development_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105 - never used outside the test suite
    SQLALCHEMY_DATABASE_URI = _normalise_db_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASHER = "fast"  # noqa: S105 - OWASP-cost argon2 per test would be too slow


class ProductionConfig(Config):
    REFUSE_LOOPBACK_SITE_URL = True
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("FLASK_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"FLASK_CONFIG={name!r} is not one of: {', '.join(CONFIGS)}") from None
