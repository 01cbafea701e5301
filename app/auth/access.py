"""Who may open which page.

Every view declares its audience with ``@public``, ``@login_required`` or
``@roles_required(...)``. A view without a declaration is refused (fail closed) by
``enforce_declared_access``, and the role × route test walks every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from app.extensions import login_manager
from app.models.users import LEARNER_ROLES, Role

PUBLIC = "public"
ANY_USER = "any_user"

View = Callable[..., Any]


def _mark(view: View, access: str | frozenset[Role]) -> View:
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Anyone, signed in or not (sign-in page, certificate verification, health)."""
    return _mark(view, PUBLIC)


def login_required(view: View) -> View:
    """Any signed-in user."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapped, ANY_USER)


def roles_required(*roles: Role | Iterable[Role]) -> Callable[[View], View]:
    """Signed-in users with one of the given roles; others get 403."""
    allowed: set[Role] = set()
    for role in roles:
        allowed.update([role] if isinstance(role, Role) else role)
    frozen = frozenset(allowed)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in frozen:
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, frozen)

    return decorator


learner_required = roles_required(LEARNER_ROLES)


def access_of(view: View) -> str | frozenset[Role] | None:
    return getattr(view, "access", None)


def enforce_declared_access() -> None:
    """before_request hook: refuse any endpoint that forgot to declare its audience."""
    if request.endpoint is None or request.endpoint == "static":
        return
    view = current_app.view_functions.get(request.endpoint)
    if view is not None and access_of(view) is None:
        current_app.logger.error("Endpoint %s has no access declaration", request.endpoint)
        abort(403)
