"""The app as gunicorn serves it in the benchmark.

``BENCH_SQLITE_TUNING=1`` applies the SQLite settings the benchmark recommends for
production (see ``sqlite_tuning``); without it SQLite runs with the app's defaults, so
the two can be compared.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from app import create_app
from app.extensions import db

BUSY_TIMEOUT_MS = 15_000


def sqlite_tuning(engine: sa.engine.Engine) -> None:
    """WAL (readers never block the writer, nor the writer readers), a busy timeout (a
    second writer waits its turn instead of failing with "database is locked"), and
    synchronous=NORMAL (safe with WAL, one fsync per checkpoint instead of per commit)."""

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


app = create_app()
if os.environ.get("BENCH_SQLITE_TUNING") == "1":
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sqlite_tuning(db.engine)
            db.engine.dispose()  # the start-up check's connection had no pragmas
