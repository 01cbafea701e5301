"""Who may give whom a new one-time password: the level above.

- a school's staff and teachers: their school admin (school pages);
- a school admin: the ward officer of the school's ward, or the site admin;
- a ward officer: the city officer of the ward's province, or the site admin;
- a city officer: the site admin;
- a site admin: whoever runs the server, ``flask --app app org reset-password``;
- a student: the homeroom teacher; a parent or relative: a new claim code.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Role, School, User, Ward

BY_SITE_ADMIN = frozenset({Role.SCHOOL_ADMIN, Role.WARD_OFFICER, Role.CITY_OFFICER})


def may_reset(actor: User, target: User) -> bool:
    if actor.id == target.id or not actor.is_authenticated:
        return False
    if actor.role == Role.ADMIN:
        return target.role in BY_SITE_ADMIN
    if actor.role == Role.CITY_OFFICER:
        return (
            target.role == Role.WARD_OFFICER
            and actor.province_id is not None
            and target.ward is not None
            and target.ward.province_id == actor.province_id
        )
    if actor.role == Role.WARD_OFFICER:
        return (
            target.role == Role.SCHOOL_ADMIN
            and actor.ward_id is not None
            and target.school is not None
            and target.school.ward_id == actor.ward_id
        )
    return False


def resettable_accounts(actor: User) -> list[User]:
    """The accounts ``actor`` looks after, by place then name."""
    query = sa.select(User).where(User.id != actor.id).order_by(User.role, User.full_name)
    if actor.role == Role.ADMIN:
        query = query.where(User.role.in_(BY_SITE_ADMIN))
    elif actor.role == Role.CITY_OFFICER and actor.province_id is not None:
        query = query.join(Ward, User.ward_id == Ward.id).where(
            User.role == Role.WARD_OFFICER, Ward.province_id == actor.province_id
        )
    elif actor.role == Role.WARD_OFFICER and actor.ward_id is not None:
        query = query.join(School, User.school_id == School.id).where(
            User.role == Role.SCHOOL_ADMIN, School.ward_id == actor.ward_id
        )
    else:
        return []
    return list(db.session.scalars(query))
