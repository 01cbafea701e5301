"""Trust: which finished sessions a teacher should look at before they count.

Flags (each a code stored in ``GuidedSession.flags``):

``too_fast``
    The steps took less than ``GUIDED_MIN_SECONDS_PER_STEP`` seconds each on average,
    measured from the start of the session to the last step recorded. Opening an app,
    finding a button and doing what the step says takes a relative well over that;
    tapping through the steps without doing them does not.
``already_certified``
    The relative already has another passed session for the same walkthrough that is
    confirmed or waiting for review: the same task certified twice adds nothing.
``many_today``
    The student has started more than ``GUIDED_MAX_SESSIONS_PER_DAY`` sessions on the
    day this one started (Vietnam time, counting this one and every status).

Review policy (``School.review_policy``): ``confirm_first`` sends every passed session
to the teacher's queue; ``spot_check`` confirms it at once unless it is flagged or falls
in the random sample of ``School.review_sample_percent`` percent. The sample is drawn
with a ``random.Random`` seeded by the session id, so the same session is always in or
out of the sample (tests and reruns agree) and nobody can retry their way out of it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.guided.states import CREDITED_REVIEWS
from app.models import GuidedSession, ReviewPolicy, ReviewStatus, School, SessionStatus

TOO_FAST = "too_fast"
ALREADY_CERTIFIED = "already_certified"
MANY_TODAY = "many_today"

DEFAULT_MIN_SECONDS_PER_STEP = 10
DEFAULT_MAX_SESSIONS_PER_DAY = 5

FLAG_LABELS = {
    TOO_FAST: _l("Làm quá nhanh"),
    ALREADY_CERTIFIED: _l("Người thân đã được chứng nhận việc này"),
    MANY_TODAY: _l("Học sinh làm nhiều buổi trong một ngày"),
}


def min_seconds_per_step() -> int:
    return current_app.config.get("GUIDED_MIN_SECONDS_PER_STEP", DEFAULT_MIN_SECONDS_PER_STEP)


def max_sessions_per_day() -> int:
    return current_app.config.get("GUIDED_MAX_SESSIONS_PER_DAY", DEFAULT_MAX_SESSIONS_PER_DAY)


def seconds_per_step(session: GuidedSession) -> float | None:
    """Average seconds per step from the start to the last step recorded (None: no step)."""
    if not session.steps:
        return None
    last = max(step.recorded_at for step in session.steps)
    return (last - session.started_at).total_seconds() / len(session.steps)


def local_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The naive-UTC start and end of the Vietnam calendar day holding ``moment``."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    day: date = moment.replace(tzinfo=UTC).astimezone(zone).date()
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    return start, start + timedelta(days=1)


def flags_for(session: GuidedSession) -> list[str]:
    """The trust flags of a finished session, in a fixed order."""
    flags = []
    pace = seconds_per_step(session)
    if pace is not None and pace < min_seconds_per_step():
        flags.append(TOO_FAST)
    if _already_certified(session):
        flags.append(ALREADY_CERTIFIED)
    if _sessions_that_day(session) > max_sessions_per_day():
        flags.append(MANY_TODAY)
    return flags


def _already_certified(session: GuidedSession) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(GuidedSession)
            .where(
                GuidedSession.relative_id == session.relative_id,
                GuidedSession.walkthrough_id == session.walkthrough_id,
                GuidedSession.id != session.id,
                GuidedSession.status == SessionStatus.PASSED,
                GuidedSession.review_status.in_(CREDITED_REVIEWS),
            )
        )
        > 0
    )


def _sessions_that_day(session: GuidedSession) -> int:
    start, end = local_day_bounds(session.started_at)
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(GuidedSession)
        .where(
            GuidedSession.student_id == session.student_id,
            GuidedSession.started_at >= start,
            GuidedSession.started_at < end,
        )
    )


def in_sample(session_id: int, percent: int) -> bool:
    """Whether this session falls in the school's random sample (same answer every time)."""
    return random.Random(f"review-sample:{session_id}").randrange(100) < percent


def route_for_review(session: GuidedSession, school: School) -> ReviewStatus:
    """Where a passed session goes: the teacher's queue (pending) or confirmed at once.

    Sets ``session.sampled`` when the spot-check sample picked it.
    """
    if school.review_policy == ReviewPolicy.CONFIRM_FIRST:
        return ReviewStatus.PENDING
    session.sampled = in_sample(session.id, school.review_sample_percent)
    if session.flags or session.sampled:
        return ReviewStatus.PENDING
    return ReviewStatus.CONFIRMED
