"""A double tap on "Bắt đầu" opens one guided session, guaranteed by the database.

The concurrent test sends two real requests at once, each through its own client, thread,
app context and database connection. It needs a database where two connections really
write at the same moment: PostgreSQL (``make test-postgres``, which CI runs); the
in-memory SQLite database of a plain run has a single shared connection. The index itself
is checked on both databases.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.guided import services
from app.models import GuidedSession, SessionStatus
from tests.factories import PASSWORD
from tests.guided_support import OTHER_WALKTHROUGH, WALKTHROUGH, register


def _open_count() -> int:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(GuidedSession)
        .where(GuidedSession.status.in_([SessionStatus.IN_PROGRESS, SessionStatus.CHECKING]))
    )


def _session(student, relative_id, walkthrough=WALKTHROUGH, status=SessionStatus.IN_PROGRESS):
    return GuidedSession(
        student_id=student.id,
        relative_id=relative_id,
        walkthrough_id=walkthrough,
        walkthrough_version="test",
        status=status,
        flags=[],
    )


def test_the_database_refuses_a_second_open_session_for_the_same_task(app, org):
    with app.test_request_context():
        relative_id = register(org.student).relative_id
    db.session.add(_session(org.student, relative_id))
    db.session.commit()

    db.session.add(_session(org.student, relative_id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    # Finished sessions, other tasks and other students are not limited.
    db.session.add_all(
        [
            _session(org.student, relative_id, status=SessionStatus.ABANDONED),
            _session(org.student, relative_id, status=SessionStatus.NOT_YET),
            _session(org.student, relative_id, OTHER_WALKTHROUGH),
        ]
    )
    db.session.commit()
    assert _open_count() == 2


def test_two_taps_at_the_same_moment_open_one_session(app, org, monkeypatch):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("needs real concurrent connections: runs on PostgreSQL (make test-postgres)")
    with app.test_request_context():
        relative_id = register(org.student).relative_id
    db.session.commit()
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        client.post("/login", data={"username": org.student.username, "password": PASSWORD})

    # Make the race certain: both requests look for an open session, find none, and only
    # then both insert — exactly what two taps a few milliseconds apart can do.
    looked = threading.Barrier(2, timeout=20)
    first_look = threading.local()
    real_lookup = services._open_session

    def lookup_then_wait(*args):
        found = real_lookup(*args)
        if not getattr(first_look, "done", False):
            first_look.done = True
            looked.wait()
        return found

    monkeypatch.setattr(services, "_open_session", lookup_then_wait)
    responses = []

    def tap(client):
        with app.app_context():
            response = client.post(
                "/guided/sessions/new",
                data={"relative": relative_id, "walkthrough": WALKTHROUGH},
            )
            responses.append((response.status_code, response.headers.get("Location")))
            db.session.remove()

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert _open_count() == 1
    [only] = db.session.scalars(sa.select(GuidedSession)).all()
    assert len(responses) == 2
    assert {status for status, _ in responses} == {302}
    # Both taps land on the one session, at its first step.
    assert {location for _, location in responses} == {f"/guided/sessions/{only.id}/steps/1"}
