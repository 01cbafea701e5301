"""Configuration: one class per environment, every setting from the environment.

Select with ``FLASK_CONFIG`` (development, testing, production); ``create_app`` also
accepts a class directly.
"""

from __future__ import annotations

import ipaddress
import math
import os
import secrets
import zlib
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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


WEAK_SECRET_KEYS = frozenset({"changeme", "change-me", "secret", "dev", "you-will-never-guess"})
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 8
MIN_SECRET_KEY_BITS = 72  # random 32-hex keys score 94+ (100,000 tried)
SECRET_KEY_HINT = (
    "Set it, for example: export SECRET_KEY=\"$(python -c 'import secrets; "  # noqa: S105
    "print(secrets.token_hex(32))')\""
)


def estimated_entropy_bits(text: str) -> float:
    """Shannon entropy of the characters as they occur, times the length: a cautious
    estimate (32 × "a" scores 0; ``secrets.token_hex(32)`` about 240)."""
    if not text:
        return 0.0
    counts = Counter(text)
    per_char = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return per_char * len(text)


def secret_key_problem(key: str | None) -> str | None:
    """Why this SECRET_KEY is unfit for real use, or None. Shared with ``flask doctor``."""
    key = key or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or key.lower() in WEAK_SECRET_KEYS:
        return f"SECRET_KEY is missing or shorter than {MIN_SECRET_KEY_LENGTH} characters."
    repetitive = len(zlib.compress(key.encode(), 9)) < 0.75 * len(key)
    if (
        len(set(key)) < MIN_SECRET_KEY_DISTINCT
        or estimated_entropy_bits(key) < MIN_SECRET_KEY_BITS
        or repetitive
    ):
        return "SECRET_KEY is too predictable (too few different characters): use a random one."
    return None


def _is_loopback_host(host: str) -> bool:
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def site_url_problem(url: str | None) -> str | None:
    """Why SITE_URL cannot be printed on QR codes and login cards, or None."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "SITE_URL must be the public address, e.g. https://cunghocso.example.vn"
    if _is_loopback_host(parts.hostname):
        return "SITE_URL points at this machine (loopback); set the public address."
    return None


def production_problems(config: Mapping) -> list[str]:
    """Every setting that makes a production start unsafe (empty: all good)."""
    problems = [
        secret_key_problem(config.get("SECRET_KEY")),
        site_url_problem(config.get("SITE_URL")),
    ]
    if not config.get("REDIS_URL"):
        problems.append(
            "REDIS_URL is required in production: rate limits must be shared by every worker."
        )
    return [p for p in problems if p]


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
    # Failed sign-ins on one account from all addresses together: guessing stays slow even
    # from many addresses, and the real user is back in after the window at worst.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes")
    # How many reverse proxies stand in front (0: none). Their X-Forwarded-For and
    # X-Forwarded-Proto are trusted that many hops deep, no more.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)

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
    PRODUCTION = True  # create_app refuses to start while production_problems() finds any
    SITE_URL = os.environ.get("SITE_URL", "")
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
