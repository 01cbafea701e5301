"""Which students a teacher or school admin may look after."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Classroom, Enrollment, Role, User


def can_manage_classroom(user: User, classroom: Classroom) -> bool:
    if user.role == Role.SCHOOL_ADMIN:
        return classroom.school_id == user.school_id
    return user.role == Role.TEACHER and classroom.homeroom_teacher_id == user.id


def can_manage_student(user: User, student: User) -> bool:
    """Homeroom teacher of one of the student's classes, or an admin of their school."""
    if student.role != Role.STUDENT:
        return False
    if user.role == Role.SCHOOL_ADMIN:
        return student.school_id == user.school_id
    if user.role != Role.TEACHER:
        return False
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Enrollment)
            .join(Classroom)
            .where(Enrollment.student_id == student.id, Classroom.homeroom_teacher_id == user.id)
        )
        > 0
    )


def classroom_students(classroom: Classroom) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(User.full_name)
        )
    )


def student_classroom_for(user: User, student: User) -> Classroom | None:
    """The class through which this user looks after the student: the teacher's own
    homeroom class of the student (latest year first), or for a school admin the
    student's latest class in their school."""
    query = (
        sa.select(Classroom)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Enrollment.student_id == student.id)
        .order_by(Classroom.school_year.desc(), Classroom.id.desc())
        .limit(1)
    )
    if user.role == Role.TEACHER:
        query = query.where(Classroom.homeroom_teacher_id == user.id)
    else:
        query = query.where(Classroom.school_id == user.school_id)
    return db.session.scalar(query)
