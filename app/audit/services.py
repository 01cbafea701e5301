"""Writing to the security log, and reading it for one school or for the whole site.

Every feature records through :func:`record`; nothing else writes ``AuditEvent`` rows,
and nothing updates or deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from app import dates
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.users import User

MAX_DETAIL_TEXT = 200
PAGE_SIZE = 50


def _id_of(thing: Any) -> int | None:
    if thing is None:
        return None
    if isinstance(thing, int):
        return thing
    return getattr(thing, "id", None)


def _short(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_TEXT]
    if isinstance(value, dict):
        return {str(k)[:60]: _short(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_short(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:MAX_DETAIL_TEXT]


def _current_actor() -> User | None:
    if not has_request_context():
        return None
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user._get_current_object()  # type: ignore[union-attr]


def record(
    action: str,
    *,
    target: Any = None,
    target_user: User | int | None = None,
    school: Any = None,
    detail: dict[str, Any] | None = None,
    actor: User | None = None,
    commit: bool = False,
) -> AuditEvent:
    """Add one event to the security log.

    ``action``: a dotted name, preferably one of ``app.audit.actions``.
    ``target``: the object acted on (any model with an ``id``); a ``User`` is also
    stored as ``target_user``. ``school``: whose admin may read the row (a School or an
    id); by default the target person's school, else the target's, else the actor's.
    ``actor``: by default the signed-in user. ``detail``: a small JSON-able dict —
    no full names, phone numbers or passwords.

    The event joins the caller's transaction: record before your ``commit()``. On a
    path that writes nothing else (a refusal, a download) pass ``commit=True``.
    """
    actor = actor if actor is not None else _current_actor()
    if isinstance(target, User) and target_user is None:
        target_user = target
    target_user_obj = target_user if isinstance(target_user, User) else None
    if target_user_obj is None and target_user is not None:
        target_user_obj = db.session.get(User, target_user)

    school_id = _id_of(school)
    if school_id is None:
        for source in (target_user_obj, target, actor):
            school_id = getattr(source, "school_id", None)
            if school_id is not None:
                break

    event = AuditEvent(
        created_at=dates.utcnow(),
        action=action[:60],
        actor_id=_id_of(actor),
        actor_role=str(actor.role) if actor is not None else None,
        school_id=school_id,
        target_type=getattr(target, "__tablename__", None) if target is not None else None,
        target_id=_id_of(target) if target is not None else None,
        target_user_id=_id_of(target_user),
        detail=_short(detail) if detail else None,
    )
    if has_request_context():
        event.ip_address = (request.remote_addr or "")[:45] or None
        event.path = request.path[:200]
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


@dataclass
class LogFilter:
    """What the log page narrows to; every field optional."""

    school_id: int | None = None
    action: str | None = None
    username: str | None = None
    first: date | None = None
    last: date | None = None


def search(filters: LogFilter, *, restrict_school_id: int | None, page: int):
    """One page of events, newest first. ``restrict_school_id``: a school admin's own
    school (None for the site admin, who sees every row)."""
    query = sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if restrict_school_id is not None:
        query = query.where(AuditEvent.school_id == restrict_school_id)
    elif filters.school_id is not None:
        query = query.where(AuditEvent.school_id == filters.school_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.username:
        ids = sa.select(User.id).where(User.username == filters.username.strip().lower())
        query = query.where(
            sa.or_(AuditEvent.actor_id.in_(ids), AuditEvent.target_user_id.in_(ids))
        )
    if filters.first or filters.last:
        start, end = dates.day_range_utc(
            filters.first or date(2000, 1, 1), filters.last or dates.today()
        )
        query = query.where(AuditEvent.created_at >= start, AuditEvent.created_at < end)
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def usernames_for(events: list[AuditEvent]) -> dict[int, str]:
    """Usernames of the actors and targets on a page, in one query."""
    ids = {e.actor_id for e in events} | {e.target_user_id for e in events}
    ids.discard(None)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids)))
    return {row.id: row.username for row in rows}
