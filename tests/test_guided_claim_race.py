"""A claim code is used once and a relative gets one account, guaranteed by the database.

Real concurrent HTTP requests, each thread with its own client, app context, session and
database connection. Runs on PostgreSQL when TEST_DATABASE_URL is set (as in CI) and on
SQLite otherwise, on a database file (the default in-memory database gives each thread
its own empty database). A barrier holds every request just after the code was checked,
so all of them reach the writes together: only the database can keep the second one out.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.guided import claims
from app.models import ClaimCode, ParentLink, Relative, Role, User
from config import TestingConfig
from tests import factories
from tests.guided_support import register

CLAIMERS = 4


@pytest.fixture
def race_app(app, tmp_path):
    """The suite's app on PostgreSQL; on SQLite, an app on a database file."""
    if app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite:///:memory:":
        yield app
        return

    class FileConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'race.db'}"

    file_app = create_app(FileConfig)
    with file_app.app_context():
        db.create_all()
        yield file_app
        db.session.remove()
        db.engine.dispose()


def _claim_together(race_app, monkeypatch, codes: list[str]) -> list[int]:
    """POST one claim per code at the same moment; the HTTP statuses, in thread order."""
    barrier = threading.Barrier(len(codes), timeout=20)
    checked = claims.check_code

    def check_then_wait(raw_code):
        claim = checked(raw_code)
        barrier.wait()  # everyone has passed the read-only check
        return claim

    monkeypatch.setattr(claims, "check_code", check_then_wait)
    statuses: list[int | None] = [None] * len(codes)

    def post(index: int, code: str) -> None:
        client = race_app.test_client()
        with race_app.app_context():
            response = client.post(
                "/guided/claim",
                data={
                    "code": code,
                    "username": f"ba.lan.{index}",
                    "password": "mat-khau-ba-lan",
                    "confirm": "mat-khau-ba-lan",
                },
            )
            statuses[index] = response.status_code
            db.session.remove()

    threads = [threading.Thread(target=post, args=(i, code)) for i, code in enumerate(codes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def _family():
    world = factories.small_world()
    relative = register(world.student).relative
    return world, relative


def _parents() -> list[User]:
    claimed = sa.select(User).where(User.role == Role.PARENT, User.username.like("ba.lan.%"))
    return list(db.session.scalars(claimed))


def test_simultaneous_claims_with_one_code_create_one_account(race_app, monkeypatch):
    with race_app.test_request_context():
        world, relative = _family()
        code = claims.issue_code(relative, world.student).code
        relative_id = relative.id
    statuses = _claim_together(race_app, monkeypatch, [code] * CLAIMERS)
    assert sorted(statuses) == [302] + [400] * (CLAIMERS - 1)
    db.session.expire_all()
    [parent] = _parents()
    assert db.session.get(Relative, relative_id).account_id == parent.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParentLink).where(
        ParentLink.parent_id == parent.id)) == 1  # fmt: skip
    assert db.session.scalar(sa.select(ClaimCode.used_at)) is not None


def test_two_live_codes_for_one_relative_still_give_one_account(race_app, monkeypatch):
    """Even if two codes were live at once (two issuers tapping together), one account."""
    with race_app.test_request_context():
        world, relative = _family()
        first = claims.issue_code(relative, world.student)
        second = claims.issue_code(relative, world.student)
        for code in db.session.scalars(sa.select(ClaimCode)):
            code.expires_at = second.expires_at  # undo the cancellation of the first
        db.session.commit()
        relative_id = relative.id
    statuses = _claim_together(race_app, monkeypatch, [first.code, second.code])
    assert sorted(statuses) == [302, 400]
    db.session.expire_all()
    [parent] = _parents()
    assert db.session.get(Relative, relative_id).account_id == parent.id


def test_one_account_cannot_belong_to_two_relatives(race_app):
    with race_app.test_request_context():
        world, relative = _family()
        other = register(world.classmate, full_name="Lê Văn Tám", birth_year=1950).relative
        relative.account_id = world.parent.id
        db.session.commit()
        other.account_id = world.parent.id
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
