"""People who sign in, their roles, and the parent ↔ student links."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type, utcnow
from app.models.org import Classroom, Enrollment, Province, School, Ward


class Role(StrEnum):
    """What a person does on the platform; each role has its own home page.

    Staff, teachers and school admins are also learners (audience ``staff``).
    """

    STUDENT = "student"
    STAFF = "staff"
    TEACHER = "teacher"
    SCHOOL_ADMIN = "school_admin"
    WARD_OFFICER = "ward_officer"
    CITY_OFFICER = "city_officer"  # the city's education department (Sở GD&ĐT)
    PARENT = "parent"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.STAFF, Role.TEACHER, Role.SCHOOL_ADMIN})
LEARNER_ROLES = frozenset({Role.STUDENT, Role.PARENT}) | STAFF_ROLES


def new_session_nonce() -> str:
    return secrets.token_urlsafe(12)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    full_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provinces.id"), index=True)
    birth_year: Mapped[int | None]
    # Set by roster imports: the full date tells two classmates of the same name apart, and
    # the code is the school's own (Mã học sinh / Mã giáo viên), the surest key to match on.
    birth_date: Mapped[date | None]
    external_code: Mapped[str | None] = mapped_column(sa.String(40))
    large_text: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Changing it signs the user out everywhere (password change or reset).
    session_nonce: Mapped[str] = mapped_column(sa.String(24), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime | None]

    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    ward: Mapped[Ward | None] = relationship(foreign_keys=[ward_id])
    province: Mapped[Province | None] = relationship(foreign_keys=[province_id])

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_learner(self) -> bool:
        return self.role in LEARNER_ROLES

    @property
    def audience(self) -> str | None:
        """The content audience this person learns as: student, staff or parent."""
        if self.role == Role.STUDENT:
            return "student"
        if self.role in STAFF_ROLES:
            return "staff"
        if self.role == Role.PARENT:
            return "parent"
        return None

    def current_classroom(self) -> Classroom | None:
        """The student's class in the latest school year they are enrolled in."""
        return db.session.scalar(
            sa.select(Classroom)
            .join(Enrollment)
            .where(Enrollment.student_id == self.id)
            .order_by(Classroom.school_year.desc())
            .limit(1)
        )

    def homeroom_classes(self) -> list[Classroom]:
        return list(
            db.session.scalars(
                sa.select(Classroom)
                .where(Classroom.homeroom_teacher_id == self.id)
                .order_by(Classroom.school_year.desc(), Classroom.name)
            )
        )


class ParentLink(db.Model):
    """A parent or relative account linked to a student they may follow."""

    __tablename__ = "parent_links"
    __table_args__ = (sa.UniqueConstraint("parent_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    relation: Mapped[str] = mapped_column(sa.String(30))

    parent: Mapped[User] = relationship(foreign_keys=[parent_id])
    student: Mapped[User] = relationship(foreign_keys=[student_id])
