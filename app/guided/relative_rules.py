"""Who may act on a relative: the one rule the guided pages, claim codes and privacy ask.

A student sees and acts on a relative only through an approved ``RelativeLink`` (their
own registration, or a sibling's request the family approved). Staff act on a relative
through the students linked to her: the homeroom teacher of one of them, or an admin of
their school. When the shared access-rules module lands under ``app/auth/``, these
functions move there unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Relative, RelativeLink, RelativeLinkRequest, Role, User
from app.teach.services import can_manage_student

STAFF_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)


def linked_student_ids(relative: Relative) -> list[int]:
    """Students with an approved link to her, the registering student first."""
    return list(
        db.session.scalars(
            sa.select(RelativeLink.student_id)
            .where(RelativeLink.relative_id == relative.id)
            .order_by(RelativeLink.id)
        )
    )


def registrant_id(relative: Relative) -> int | None:
    """The student who registered her (the first link); None once every link is gone."""
    ids = linked_student_ids(relative)
    return ids[0] if ids else None


def staff_may_manage(user: User, relative: Relative) -> bool:
    """Homeroom teacher (or school admin) of a student linked to her, in her school."""
    if user.role not in STAFF_ROLES or user.school_id != relative.school_id:
        return False
    students = db.session.scalars(
        sa.select(User).where(User.id.in_(linked_student_ids(relative)))
    ).all()
    return any(can_manage_student(user, student) for student in students)


def may_manage_relative(user: User, relative: Relative) -> bool:
    """Issue a claim code, withdraw consent: a linked student or their teacher."""
    if user.role == Role.STUDENT:
        return user.id in linked_student_ids(relative)
    return staff_may_manage(user, relative)


def may_decide_link_request(user: User, request: RelativeLinkRequest) -> bool:
    """The student who registered her, or the homeroom teacher / admin over that family."""
    relative = request.relative
    if user.role == Role.STUDENT:
        return user.id == registrant_id(relative) and user.id != request.student_id
    return staff_may_manage(user, relative)
