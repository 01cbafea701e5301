"""Role × route: every registered route, requested as every role, lets in only its audience.

New routes are covered automatically; a view without an access declaration fails here
(and is refused at run time).
"""

from __future__ import annotations

import pytest

from app.auth.access import ANY_USER, PUBLIC, access_of
from app.models import Role

ROLES = list(Role)
PLACEHOLDERS = {"int": 999999, "string": "khong-ton-tai", "path": "khong/ton-tai", "default": "x"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = {}
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__.replace("Converter", "").lower()
            converter = {"unicode": "string", "integer": "int"}.get(converter, converter)
            args[name] = PLACEHOLDERS.get(converter, PLACEHOLDERS["default"])
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield rule, args, method


def _request(client, app, rule, args, method):
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **args)
    return client.open(url, method=method)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def test_every_route_declares_who_may_see_it(app):
    undeclared = [
        rule.endpoint
        for rule, _, _ in _routes(app)
        if access_of(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_anonymous_visitors_reach_only_public_routes(app, org):
    client = app.test_client()
    for rule, args, method in _routes(app):
        access = access_of(app.view_functions[rule.endpoint])
        response = _request(client, app, rule, args, method)
        if access == PUBLIC:
            assert response.status_code not in (401, 403), rule
        else:
            assert _is_login_redirect(response), (rule, response.status_code)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_each_role_reaches_exactly_its_routes(app, org, role):
    client = app.test_client()
    user = org.by_role()[role]
    client.post("/login", data={"username": user.username, "password": "correct-horse-battery"})
    for rule, args, method in _routes(app):
        if rule.endpoint == "auth.logout":
            continue  # would end the session for the rest of the walk
        access = access_of(app.view_functions[rule.endpoint])
        response = _request(client, app, rule, args, method)
        allowed = access in (PUBLIC, ANY_USER) or role in access
        if allowed:
            assert response.status_code != 403, (role, rule)
            assert not _is_login_redirect(response), (role, rule)
        else:
            assert response.status_code == 403, (role, rule, response.status_code)
