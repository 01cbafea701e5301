"""The organisation: province (tỉnh / thành phố) → ward (phường, xã) → schools → classes →
enrolments.

Since 1 July 2025 Vietnam's local government has two levels: a province or centrally-run
city above its wards and communes. Wards created before provinces existed here keep a
null ``province_id`` until the site admin attaches them to one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import enum_type

if TYPE_CHECKING:
    from app.models.users import User


class SchoolLevel(StrEnum):
    """School levels named in the ward directive (mầm non, tiểu học, THCS, TH&THCS)."""

    PRESCHOOL = "mam_non"
    PRIMARY = "tieu_hoc"
    LOWER_SECONDARY = "thcs"
    PRIMARY_AND_LOWER_SECONDARY = "th_thcs"


class ReviewPolicy(StrEnum):
    """Whether a relative's certificate waits for the teacher or is issued and spot-checked."""

    CONFIRM_FIRST = "confirm_first"
    SPOT_CHECK = "spot_check"


def school_year_for(day: date) -> str:
    """Vietnamese school years start in September: 2025-09-05 → '2025-2026'."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


class Province(db.Model):
    """A province or centrally-run city (tỉnh / thành phố trực thuộc trung ương)."""

    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)

    wards: Mapped[list[Ward]] = relationship(back_populates="province", order_by="Ward.name")


class Ward(db.Model):
    """A ward or commune (phường, xã, đặc khu)."""

    __tablename__ = "wards"
    __table_args__ = (sa.UniqueConstraint("province_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provinces.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)

    province: Mapped[Province | None] = relationship(back_populates="wards")
    schools: Mapped[list[School]] = relationship(back_populates="ward", order_by="School.name")


class School(db.Model):
    __tablename__ = "schools"
    __table_args__ = (sa.UniqueConstraint("ward_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    level: Mapped[SchoolLevel] = mapped_column(enum_type(SchoolLevel, "school_level"))
    review_policy: Mapped[ReviewPolicy] = mapped_column(
        enum_type(ReviewPolicy, "review_policy"), default=ReviewPolicy.CONFIRM_FIRST
    )
    review_sample_percent: Mapped[int] = mapped_column(default=20)

    ward: Mapped[Ward] = relationship(back_populates="schools")
    classrooms: Mapped[list[Classroom]] = relationship(back_populates="school")


class Classroom(db.Model):
    """A class in one school year. Next year's 7A1 is a new row, so history stays intact."""

    __tablename__ = "classrooms"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "school_year", "name"),
        sa.CheckConstraint("grade BETWEEN 1 AND 12", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(20))
    grade: Mapped[int]
    school_year: Mapped[str] = mapped_column(sa.String(9))
    homeroom_teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    school: Mapped[School] = relationship(back_populates="classrooms")
    homeroom_teacher: Mapped[User | None] = relationship(foreign_keys=[homeroom_teacher_id])
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan"
    )


class Enrollment(db.Model):
    """A student's membership of a class in one school year."""

    __tablename__ = "enrollments"
    __table_args__ = (sa.UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classrooms.id"), index=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Vietnam's date the student left this class (moved to another class, or left the
    # school). From that day the enrolment no longer counts; history stays.
    left_on: Mapped[date | None]

    classroom: Mapped[Classroom] = relationship(back_populates="enrollments")
    student: Mapped[User] = relationship(foreign_keys=[student_id])
