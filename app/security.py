"""Request-wide security: headers on every response, no caching of signed-in pages, and
a forced password change that no page can skip."""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_login import current_user

# What a user who must choose a new password may still reach.
PASSWORD_CHANGE_ALLOWED = frozenset(
    {
        "auth.change_password_view",
        "auth.logout",
        "main.healthz",
        "main.set_locale",
        "main.toggle_large_text",
        "static",
    }
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def require_password_change():
    """before_request: after a reset, the one-time password opens nothing but the page
    to choose a new one (on this and every later sign-in) until it is done."""
    if request.endpoint is None or request.endpoint in PASSWORD_CHANGE_ALLOWED:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password_view"), code=303)
    return None


def no_store_when_signed_in(response: Response) -> Response:
    """Pages shown to a signed-in user carry personal data: never keep them in a shared
    or back-button cache. A view that marked its response ``public`` (lesson images,
    the issuer profile) has said it holds nothing personal."""
    if request.endpoint == "static" or response.cache_control.public:
        return response
    if response.cache_control.no_store:
        return response  # the view already said so (perhaps with more, e.g. "private")
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    return response


def init_app(app: Flask) -> None:
    app.before_request(require_password_change)
    app.after_request(set_security_headers)
    app.after_request(no_store_when_signed_in)
