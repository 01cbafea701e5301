"""What an import would do to the school, worked out from the parsed rows and the database.

The same function makes the preview and, at confirmation, the plan that is written, so the
admin confirms exactly what they saw: a digest of the plan travels with the confirm form,
and if the database changed in between, the new preview is shown instead of writing.

Matching, so that importing the same file again changes nothing and nobody is duplicated:

- students: by the school's student code; else by name and birth date among the school's
  students (the class only separates two such); else, for accounts made before birth dates
  were kept, by name and class in the school year;
- teachers and staff: by code; else by name among the school's staff (birth dates, when
  both are known and differ, tell two namesakes apart).

Nothing is deleted or unenrolled: anyone missing from the file keeps their account and
class. A student listed in another class of the same year is moved (their enrolment row is
updated, not replaced), and the preview says so. Roles only ever go from staff to teacher;
a school admin's account keeps its role.

The plan is computed with one query per table, whatever the size of the school.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models.org import Classroom, Enrollment, School
from app.models.users import STAFF_ROLES, Role, User
from app.roster.fields import name_key
from app.roster.parsing import RosterRow
from app.roster.problems import Problem
from app.roster.usernames import UsernameAllocator, base_username

CREATE, UPDATE, SAME = "create", "update", "same"


@dataclass
class Change:
    field: str  # full_name, birth_date, code, class_name, role
    before: str | None
    after: str | None


@dataclass
class PersonPlan:
    role: Role
    full_name: str
    action: str
    username: str
    row: RosterRow | None = None  # None for a homeroom teacher only named by students' rows
    user: User | None = None
    birth_date: date | None = None
    code: str | None = None
    class_name: str | None = None  # a student's class in the import's school year
    changes: list[Change] = field(default_factory=list)
    enrolment: Enrollment | None = None  # the enrolment of that year to move, if any

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    def change(self, name: str) -> Change | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass
class ClassPlan:
    name: str
    grade: int
    action: str
    classroom: Classroom | None = None
    homeroom: PersonPlan | None = None  # set only when the file names one
    homeroom_before: str | None = None
    students: list[PersonPlan] = field(default_factory=list)

    @property
    def homeroom_changes(self) -> bool:
        if self.homeroom is None:
            return False
        if self.classroom is None or self.homeroom.user is None:
            return True
        return self.classroom.homeroom_teacher_id != self.homeroom.user.id


@dataclass
class ImportPlan:
    school_year: str
    classes: list[ClassPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str, *, students: bool) -> int:
        return sum(1 for p in self.people if p.action == action and p.is_student == students)

    @property
    def new_classes(self) -> list[ClassPlan]:
        return [c for c in self.classes if c.action == CREATE]

    @property
    def homeroom_assignments(self) -> list[ClassPlan]:
        return [c for c in self.classes if c.homeroom_changes]

    @property
    def has_changes(self) -> bool:
        return any(c.action != SAME for c in self.classes) or any(
            p.action != SAME for p in self.people
        )

    def digest(self) -> str:
        """A fingerprint of everything the plan would write, compared at confirmation."""
        content = {
            "year": self.school_year,
            "classes": [
                [c.name, c.action, c.homeroom.username if c.homeroom_changes else None]
                for c in self.classes
            ],
            "people": [
                [
                    p.row.row if p.row else None, p.action, p.username,
                    p.user.id if p.user else None,
                    [[c.field, c.before, c.after] for c in p.changes],
                ]
                for p in self.people
            ],
        }  # fmt: skip
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


class _SchoolState:
    """The school's people, classes and enrolments of the year, loaded once."""

    def __init__(self, school: School, school_year: str) -> None:
        people = db.session.scalars(
            sa.select(User).where(
                User.school_id == school.id, User.role.in_([Role.STUDENT, *STAFF_ROLES])
            )
        ).all()
        self.students_by_code: dict[str, User] = {}
        self.staff_by_code: dict[str, User] = {}
        self.students_by_name: dict[str, list[User]] = defaultdict(list)
        self.staff_by_name: dict[str, list[User]] = defaultdict(list)
        for user in people:
            student = user.role == Role.STUDENT
            if user.external_code:
                (self.students_by_code if student else self.staff_by_code)[
                    user.external_code.upper()
                ] = user
            (self.students_by_name if student else self.staff_by_name)[
                name_key(user.full_name)
            ].append(user)
        self.by_id = {user.id: user for user in people}
        self.classes: dict[str, Classroom] = {
            c.name: c
            for c in db.session.scalars(
                sa.select(Classroom).where(
                    Classroom.school_id == school.id, Classroom.school_year == school_year
                )
            )
        }
        classes_by_id = {c.id: c for c in self.classes.values()}
        self.enrolment: dict[int, Enrollment] = {}
        for enrolment in db.session.scalars(
            sa.select(Enrollment).where(Enrollment.classroom_id.in_(classes_by_id.keys()))
        ):
            self.enrolment.setdefault(enrolment.student_id, enrolment)
        self.class_of = {
            sid: classes_by_id[e.classroom_id].name for sid, e in self.enrolment.items()
        }


def plan_import(school: School, school_year: str, rows: list[RosterRow]) -> ImportPlan:
    state = _SchoolState(school, school_year)
    plan = ImportPlan(school_year)
    matched: dict[int, RosterRow] = {}  # user id → the row that matched it
    to_name: list[PersonPlan] = []

    def problem(row: RosterRow, code: str, column: str, **params) -> None:
        plan.problems.append(Problem(code, row.row, column, None, row.sheet, params))

    def claim(row: RosterRow, user: User | None) -> bool:
        if user is None:
            return True
        if user.id in matched:
            other = matched[user.id]
            problem(
                row, "same_person_twice", "full_name", other=other.where(),
                name=user.full_name, username=user.username,
            )  # fmt: skip
            return False
        matched[user.id] = row
        return True

    staff_rows_by_name: dict[str, list[PersonPlan]] = defaultdict(list)
    homerooms: list[tuple[str, PersonPlan]] = []  # (class, teacher) named by teachers' rows
    for row in rows:
        match = _match_student if row.is_student else _match_staff
        try:
            user = match(row, state)
        except _Ambiguous as ambiguous:
            problem(row, "ambiguous_match", "full_name", count=ambiguous.count, value=row.full_name)
            continue
        if not claim(row, user):
            continue
        person = _person(row, user, state)
        if person.action == CREATE:
            to_name.append(person)
        plan.people.append(person)
        if not row.is_student:
            staff_rows_by_name[name_key(row.full_name)].append(person)
            if row.class_name:
                homerooms.append((row.class_name, person))

    classes = _plan_classes(rows, plan, state)
    for class_name, teacher in homerooms:
        classes[class_name].homeroom = teacher
    for row in rows:
        if row.is_student and row.homeroom_teacher:
            teacher = _named_homeroom(row, plan, state, staff_rows_by_name, to_name, problem)
            if teacher is not None:
                classes[row.class_name].homeroom = teacher
    plan.classes = sorted(classes.values(), key=lambda c: (c.grade, c.name))
    _name_new_accounts(to_name)
    return plan


class _Ambiguous(Exception):
    """Several of the school's accounts fit a row; it needs a code or a birth date."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _match_student(row: RosterRow, state: _SchoolState) -> User | None:
    """The existing student this row describes, or None for a new one."""
    if row.code and row.code in state.students_by_code:
        return state.students_by_code[row.code]
    namesakes = [
        u
        for u in state.students_by_name.get(name_key(row.full_name), [])
        if not (u.external_code and row.code and u.external_code.upper() != row.code)
    ]
    same_birth = [u for u in namesakes if u.birth_date == row.birth_date]
    if len(same_birth) > 1:
        in_class = [u for u in same_birth if state.class_of.get(u.id) == row.class_name]
        if len(in_class) != 1:
            raise _Ambiguous(len(same_birth))
        return in_class[0]
    if same_birth:
        return same_birth[0]
    legacy = [
        u for u in namesakes if u.birth_date is None and state.class_of.get(u.id) == row.class_name
    ]
    if len(legacy) > 1:
        raise _Ambiguous(len(legacy))
    return legacy[0] if legacy else None


def _match_staff(row: RosterRow, state: _SchoolState) -> User | None:
    if row.code and row.code in state.staff_by_code:
        return state.staff_by_code[row.code]
    candidates = [
        u
        for u in state.staff_by_name.get(name_key(row.full_name), [])
        if not (u.external_code and row.code and u.external_code.upper() != row.code)
        and not (u.birth_date and row.birth_date and u.birth_date != row.birth_date)
    ]
    if len(candidates) > 1:
        raise _Ambiguous(len(candidates))
    return candidates[0] if candidates else None


def _person(row: RosterRow, user: User | None, state: _SchoolState) -> PersonPlan:
    role = row.role
    if user is not None and not row.is_student:
        # Staff may become teachers; nobody is demoted, a school admin stays one.
        role = Role.TEACHER if role == Role.TEACHER and user.role == Role.STAFF else user.role
    person = PersonPlan(
        role=role, full_name=row.full_name, action=CREATE if user is None else SAME,
        username=user.username if user else "", row=row, user=user,
        birth_date=row.birth_date, code=row.code,
        class_name=row.class_name if row.is_student else None,
    )  # fmt: skip
    if user is None:
        return person
    changes = person.changes
    if name_key(user.full_name) != name_key(row.full_name):
        changes.append(Change("full_name", user.full_name, row.full_name))
    if row.birth_date and user.birth_date != row.birth_date:
        changes.append(Change("birth_date", _day(user.birth_date), _day(row.birth_date)))
    if row.code and (user.external_code or "").upper() != row.code:
        changes.append(Change("code", user.external_code, row.code))
    if role != user.role:
        changes.append(Change("role", user.role.value, role.value))
    if row.is_student:
        current = state.class_of.get(user.id)
        if current != row.class_name:
            changes.append(Change("class_name", current, row.class_name))
            person.enrolment = state.enrolment.get(user.id)
    if changes:
        person.action = UPDATE
    return person


def _plan_classes(rows: list[RosterRow], plan: ImportPlan, state: _SchoolState) -> dict:
    classes: dict[str, ClassPlan] = {}
    for row in rows:
        if row.class_name and row.class_name not in classes:
            existing = state.classes.get(row.class_name)
            classes[row.class_name] = ClassPlan(
                name=row.class_name,
                grade=existing.grade if existing else row.grade,
                action=SAME if existing else CREATE,
                classroom=existing,
                homeroom_before=_homeroom_name(existing, state),
            )
    for person in plan.people:
        if person.is_student:
            classes[person.class_name].students.append(person)
    return classes


def _homeroom_name(classroom: Classroom | None, state: _SchoolState) -> str | None:
    if classroom is None or classroom.homeroom_teacher_id is None:
        return None
    teacher = state.by_id.get(classroom.homeroom_teacher_id) or classroom.homeroom_teacher
    return teacher.full_name if teacher else None


def _named_homeroom(row, plan, state, staff_rows_by_name, to_name, problem) -> PersonPlan | None:
    """The teacher a student's row names as homeroom teacher: someone listed in the file,
    else the school's teacher of that name, else a new teacher account."""
    key = name_key(row.homeroom_teacher)
    in_file = staff_rows_by_name.get(key, [])
    if len(in_file) == 1:
        return in_file[0]
    existing = state.staff_by_name.get(key, [])
    if len(in_file) > 1 or len(existing) > 1:
        problem(
            row, "ambiguous_match", "homeroom_teacher", count=max(len(in_file), len(existing)),
            value=row.homeroom_teacher,
        )  # fmt: skip
        return None
    if existing:
        user = existing[0]
        if user.role == Role.STAFF:
            problem(row, "homeroom_not_teacher", "homeroom_teacher", value=user.full_name)
            return None
        person = PersonPlan(user.role, user.full_name, SAME, user.username, user=user)
    else:
        person = PersonPlan(Role.TEACHER, row.homeroom_teacher, CREATE, "")
        to_name.append(person)
    plan.people.append(person)
    staff_rows_by_name[key].append(person)  # the next row naming them finds them here
    return person


def _name_new_accounts(people: list[PersonPlan]) -> None:
    bases = [base_username(p.full_name, p.role, p.class_name) for p in people]
    allocator = UsernameAllocator(bases)
    for person, base in zip(people, bases, strict=True):
        person.username = allocator.allocate(base)


def _day(value: date | None) -> str | None:
    return value.strftime("%d/%m/%Y") if value else None
