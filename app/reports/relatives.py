"""Which essential tasks each relative holds a confirmed session for (the parent rule).

Counts of relatives trained come from ``app.guided.stats``; this adds the one question
it does not answer, with the same definition of "confirmed" (``stats.CONFIRMED``): a
pending, rejected, unfinished or "not yet" session never counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.content.registry import ContentRegistry
from app.extensions import db
from app.guided.stats import CONFIRMED
from app.models import GuidedSession, Relative


def confirmed_tasks_of_school_relatives(
    school_ids: Iterable[int], content: ContentRegistry, tasks: Iterable[str]
) -> dict[int, set[str]]:
    """Which of these essential tasks each relative of these schools holds a confirmed
    session for (one query, joined on the school rather than listing every relative, and
    reading only the walkthroughs that teach the tasks asked about)."""
    ids, wanted = set(school_ids), set(tasks)
    walkthroughs = [w.id for w in content.walkthroughs() if w.task_id in wanted]
    result: dict[int, set[str]] = {}
    if not ids or not walkthroughs:
        return result
    rows = db.session.execute(
        sa.select(GuidedSession.relative_id, GuidedSession.walkthrough_id)
        .join(Relative, Relative.id == GuidedSession.relative_id)
        .where(
            Relative.school_id.in_(ids),
            GuidedSession.walkthrough_id.in_(walkthroughs),
            CONFIRMED,
        )
        .distinct()
    )
    for relative_id, walkthrough_id in rows:
        lesson = content.lesson(walkthrough_id)
        if lesson is not None and lesson.task_id:
            result.setdefault(relative_id, set()).add(lesson.task_id)
    return result
