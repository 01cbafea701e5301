"""Counts of relatives trained, for reports and class rankings.

Only confirmed sessions count: a passed session still waiting for review, or rejected,
adds nothing. Relatives are counted distinct, so a grandmother trained by two siblings
counts once for the school (and once for each sibling). Each function is one grouped
query whatever the number of ids, and returns every id asked for (0 when none).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.extensions import db
from app.models import Enrollment, GuidedSession, Relative, ReviewStatus, SessionStatus

CONFIRMED = sa.and_(
    GuidedSession.status == SessionStatus.PASSED,
    GuidedSession.review_status == ReviewStatus.CONFIRMED,
)


def _counts(ids: Iterable[int], group_column, query: sa.Select) -> dict[int, int]:
    wanted = sorted(set(ids))
    result = dict.fromkeys(wanted, 0)
    if not wanted:
        return result
    rows = db.session.execute(query.where(group_column.in_(wanted)).group_by(group_column))
    result.update({key: count for key, count in rows})
    return result


def confirmed_relatives_by_student(student_ids: Iterable[int]) -> dict[int, int]:
    """Per student: distinct relatives they guided through at least one confirmed session."""
    query = sa.select(
        GuidedSession.student_id, sa.func.count(sa.distinct(GuidedSession.relative_id))
    ).where(CONFIRMED)
    return _counts(student_ids, GuidedSession.student_id, query)


def confirmed_relatives_by_school(school_ids: Iterable[int]) -> dict[int, int]:
    """Per school: distinct relatives with at least one confirmed session, by anyone."""
    query = (
        sa.select(Relative.school_id, sa.func.count(sa.distinct(Relative.id)))
        .join(GuidedSession, GuidedSession.relative_id == Relative.id)
        .where(CONFIRMED)
    )
    return _counts(school_ids, Relative.school_id, query)


def confirmed_relatives_by_classroom(classroom_ids: Iterable[int]) -> dict[int, int]:
    """Per class: distinct relatives guided by its students in confirmed sessions.

    Two siblings in the same class who trained their grandmother count her once.
    """
    query = (
        sa.select(Enrollment.classroom_id, sa.func.count(sa.distinct(GuidedSession.relative_id)))
        .join(GuidedSession, GuidedSession.student_id == Enrollment.student_id)
        .where(CONFIRMED)
    )
    return _counts(classroom_ids, Enrollment.classroom_id, query)
