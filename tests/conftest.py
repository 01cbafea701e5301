"""Shared fixtures: one app per test session, a clean database for every test.

Set TEST_DATABASE_URL (for example postgresql://postgres@127.0.0.1:5432/test) to run the
whole suite on PostgreSQL; without it the suite runs on an in-memory SQLite database.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db, limiter
from config import TestingConfig
from tests import factories


class IsolatedClient(FlaskClient):
    """Tests hold an app context open, which Flask reuses for requests; forget the user
    cached in ``g`` so each request (and each client) loads its own, as in production."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    app = create_app(TestingConfig)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts with empty tables and fresh rate-limit counters."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make():
    """Factories: ``make.user(role=...)``, ``make.school()``, ``make.classroom(...)`` …"""
    return factories


@pytest.fixture
def org(make):
    """A small known world: two schools in one ward, one class each, one of every role."""
    return make.small_world()
