"""Moving a school's students up a grade at the start of a school year.

Next year's classes are new rows (6A1 of 2025-2026 → 7A1 of 2026-2027) and the students get
new enrolments; last year's classes and enrolments stay exactly as they were, and progress
rows belong to the person rather than the class, so no history is lost. Students in the
school's last grade (9 in a THCS) graduate: they are simply not enrolled in a new class.

Running it again changes nothing: next year's classes are found by name, and a student who
already has a class in the new year (placed by an import, a repeat year, or an earlier run)
is left where they are. Only active accounts are moved up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.org import Classroom, Enrollment, School, school_year_for
from app.models.users import User
from app.roster.fields import GRADES


class PromotionConflict(Exception):
    """Another request promoted the same classes at the same moment; nothing was written."""


@dataclass
class ClassPromotion:
    source: Classroom
    target_name: str | None = None  # None: the class graduates
    target: Classroom | None = None  # next year's class, when it already exists
    students: list[User] = field(default_factory=list)  # to enrol in the target
    already_placed: int = 0  # already have a class next year
    homeroom: User | None = None  # carried over to a target that has no homeroom teacher


@dataclass
class PromotionPlan:
    from_year: str
    to_year: str
    moves: list[ClassPromotion] = field(default_factory=list)
    graduating: list[ClassPromotion] = field(default_factory=list)
    unnamed: list[Classroom] = field(default_factory=list)  # name does not start with grade

    @property
    def students_moving(self) -> int:
        return sum(len(m.students) for m in self.moves)

    @property
    def students_graduating(self) -> int:
        return sum(len(g.students) for g in self.graduating)

    @property
    def classes_to_create(self) -> list[ClassPromotion]:
        return [m for m in self.moves if m.target is None]

    @property
    def has_changes(self) -> bool:
        return any(m.target is None or m.students or m.homeroom for m in self.moves)


def next_year(school_year: str) -> str:
    start = int(school_year[:4]) + 1
    return f"{start}-{start + 1}"


def promotion_years(school: School, today: date) -> list[str]:
    """Years that can be promoted from: the current school year (in summer, to prepare the
    next one) and the previous one (in September), when the school has classes in them."""
    current = school_year_for(today)
    previous = f"{int(current[:4]) - 1}-{current[:4]}"
    years = set(
        db.session.scalars(
            sa.select(Classroom.school_year)
            .where(Classroom.school_id == school.id, Classroom.school_year.in_([current, previous]))
            .distinct()
        )
    )
    return [y for y in (previous, current) if y in years]


def suggested_year(school: School, years: list[str]) -> str:
    """The first year that still has students to move up (September: last year; summer,
    once last year is done: this year)."""
    for year in years:
        if plan_promotion(school, year, keep_homeroom=False).has_changes:
            return year
    return years[-1]


def plan_promotion(school: School, from_year: str, keep_homeroom: bool) -> PromotionPlan:
    to_year = next_year(from_year)
    plan = PromotionPlan(from_year, to_year)
    last_grade = GRADES[school.level][-1] if GRADES[school.level] else 0
    sources = _classes(school, from_year)
    targets = {c.name: c for c in _classes(school, to_year)}
    placed = set(
        db.session.scalars(
            sa.select(Enrollment.student_id)
            .join(Classroom)
            .where(Classroom.school_id == school.id, Classroom.school_year == to_year)
        )
    )
    students: dict[int, list[User]] = {c.id: [] for c in sources}
    for classroom_id, student in db.session.execute(
        sa.select(Enrollment.classroom_id, User)
        .join(User, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id.in_(students.keys()), User.active.is_(True))
        .order_by(User.full_name)
    ).all():
        students[classroom_id].append(student)

    for source in sources:
        move = ClassPromotion(source)
        if source.grade >= last_grade:
            move.students = students[source.id]
            plan.graduating.append(move)
            continue
        prefix = str(source.grade)
        if not source.name.startswith(prefix):
            plan.unnamed.append(source)
            continue
        move.target_name = f"{source.grade + 1}{source.name[len(prefix) :]}"
        move.target = targets.get(move.target_name)
        move.students = [s for s in students[source.id] if s.id not in placed]
        move.already_placed = len(students[source.id]) - len(move.students)
        target_free = move.target is None or move.target.homeroom_teacher_id is None
        if keep_homeroom and source.homeroom_teacher is not None and target_free:
            move.homeroom = source.homeroom_teacher
        plan.moves.append(move)
    return plan


def apply_promotion(school: School, from_year: str, keep_homeroom: bool) -> PromotionPlan:
    """Create next year's classes and enrolments in one transaction."""
    plan = plan_promotion(school, from_year, keep_homeroom)
    try:
        for move in plan.moves:
            if move.target is None:
                move.target = Classroom(
                    school_id=school.id, name=move.target_name, grade=move.source.grade + 1,
                    school_year=plan.to_year,
                )  # fmt: skip
                db.session.add(move.target)
            if move.homeroom is not None:
                move.target.homeroom_teacher = move.homeroom
            for student in move.students:
                db.session.add(Enrollment(classroom=move.target, student=student))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PromotionConflict from None
    except Exception:
        db.session.rollback()
        raise
    return plan


def _classes(school: School, school_year: str) -> list[Classroom]:
    return list(
        db.session.scalars(
            sa.select(Classroom)
            .options(selectinload(Classroom.homeroom_teacher))
            .where(Classroom.school_id == school.id, Classroom.school_year == school_year)
            .order_by(Classroom.grade, Classroom.name)
        )
    )
