"""Who "đạt" (achieved) in a school year, per class and per school: the one definition.

Every figure a page, an export or a frozen snapshot shows — the class card and rows, the
competence grid, the school dashboard, the class ranking, the ward page — is read from
the objects built here (docs/reports.md states the same rules in Vietnamese).

Counted students. A school year's figures count each student once, in one class: the
student is active, and their enrolment is in a class of that school year and not ended
(``Enrollment.left_on`` empty, or later than the day the figures are computed for). A
student who moved class keeps only the newer enrolment; one who left the school, or was
deactivated, leaves the counts of that year. Earlier years' classes do not count.

Counted sessions (``app.outcomes.sessions.COUNTED``): passed, confirmed by the school, and
the relative's certificate for that task not revoked.

- Student đạt: the core path of their level completed, and at least ``min_relatives``
  distinct relatives guided in counted sessions of this school year.
- Staff đạt: the staff path completed, or ``staff_min_passed_lessons`` staff lessons passed.
- Parent / relative đạt: the parent tasks (``Rules.tasks_met``) are held, each task either
  through a counted session guided by a student, or by self-study on their own parent
  account (the task's walkthrough completed and its quiz passed). "By guidance" when the
  guided sessions alone meet the rule; "by self-study" otherwise.
- Relatives trained by a class: distinct relatives with a counted session this school year
  guided by one of its counted students. A relative counts for ONE class: that of the
  counted student who guided their first counted session (this year first, then earlier);
  a relative no counted student guided belongs to the class of the first counted student
  who registered them (for the parents' total only). Parent accounts that are not a
  relative belong to the class of the first counted child they follow.

Set-based: whatever the number of classes, a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app import dates
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn.progress_rules import (
    achievable_competences,
    competences_achieved,
    completed_lessons,
    level_for_grade,
    passed_quizzes,
    path_completed,
)
from app.models import (
    STAFF_ROLES,
    Classroom,
    Enrollment,
    GuidedSession,
    ParentLink,
    Relative,
    RelativeLink,
    Role,
    School,
    User,
)
from app.outcomes.rules import Rules, rules_for
from app.outcomes.sessions import counted_sessions, school_year_dates

STUDENT, STAFF, PARENT = "student", "staff", "parent"
BY_GUIDANCE, BY_SELF_STUDY = "guided", "self_study"


@dataclass
class StudentOutcome:
    """One counted student's figures in their class for the school year."""

    id: int
    full_name: str
    username: str
    classroom_id: int
    school_id: int
    level: str | None
    completed: set[str]
    passed: set[str]
    competences: set[str]
    achievable: int  # competences that can be achieved at the level at all
    relative_ids: set[int]  # distinct relatives guided in counted sessions this year
    path_done: bool
    counted: bool  # the level has a core path, so the student counts towards the target
    achieved: bool

    @property
    def relatives(self) -> int:
        return len(self.relative_ids)

    @property
    def competence_share(self) -> float:
        return len(self.competences) / self.achievable if self.achievable else 0.0


@dataclass
class ParentOutcome:
    """One parent or relative: a ``Relative`` row, a parent account, or both (merged)."""

    key: str  # "r<relative id>" or "u<account id>"
    classroom_id: int
    school_id: int
    guided_tasks: set[str] = field(default_factory=set)
    self_study_tasks: set[str] = field(default_factory=set)
    students: set[int] = field(default_factory=set)
    achieved: bool = False
    way: str | None = None  # BY_GUIDANCE or BY_SELF_STUDY when achieved


@dataclass
class StaffOutcome:
    id: int
    school_id: int
    achieved: bool


@dataclass
class ClassOutcome:
    id: int
    name: str
    grade: int
    school_id: int
    students: list[StudentOutcome] = field(default_factory=list)
    parents: list[ParentOutcome] = field(default_factory=list)
    relatives_trained: set[int] = field(default_factory=set)  # relative ids

    @property
    def size(self) -> int:
        return len(self.students)

    @property
    def counted(self) -> list[StudentOutcome]:
        return [s for s in self.students if s.counted]

    @property
    def achieved(self) -> int:
        return sum(1 for s in self.students if s.counted and s.achieved)


@dataclass
class SchoolOutcome:
    id: int
    classes: list[ClassOutcome]  # of the school year, by grade then name
    staff: list[StaffOutcome]

    @property
    def students(self) -> list[StudentOutcome]:
        return [s for c in self.classes for s in c.students]

    @property
    def parents(self) -> list[ParentOutcome]:
        return [p for c in self.classes for p in c.parents]

    @property
    def relatives_trained(self) -> int:
        return sum(len(c.relatives_trained) for c in self.classes)


def as_of_date(now=None) -> date:
    """The Vietnam day figures are computed for (``now`` is naive UTC, as stored)."""
    return dates.local_date(now) if now is not None else dates.today()


def _enrolments(school_year: str, as_of: date, *, classroom_ids=None, student_ids=None):
    """Counted enrolments of the school year: (student, class, school, grade, name,
    username), one per student (the latest), for students enrolled in these classes or
    for these students."""
    query = (
        sa.select(
            Enrollment.id,
            Enrollment.student_id,
            Enrollment.left_on,
            Enrollment.classroom_id,
            Classroom.school_id,
            Classroom.grade,
            User.full_name,
            User.username,
        )
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .join(User, User.id == Enrollment.student_id)
        .where(
            Classroom.school_year == school_year,
            User.role == Role.STUDENT,
            User.active,
            sa.or_(Enrollment.left_on.is_(None), Enrollment.left_on > as_of),
        )
    )
    if classroom_ids is not None:
        enrolled = sa.select(Enrollment.student_id).where(
            Enrollment.classroom_id.in_(list(classroom_ids))
        )
        query = query.where(Enrollment.student_id.in_(enrolled))
    if student_ids is not None:
        query = query.where(Enrollment.student_id.in_(list(student_ids)))
    # One per student. A class the student is still in but due to leave (``left_on``
    # later than today) is theirs until then; otherwise the newest enrolment wins.
    chosen: dict[int, tuple] = {}
    for enrolment_id, student_id, left_on, *rest in db.session.execute(query):
        key = (left_on is not None, enrolment_id)
        if student_id not in chosen or key > chosen[student_id][0]:
            chosen[student_id] = (key, (student_id, *rest))
    return {student_id: row for student_id, (_key, row) in chosen.items()}


def _self_study_tasks(account_ids: set[int], content: ContentRegistry) -> dict[int, set[str]]:
    """Tasks each parent account learnt alone: the walkthrough completed, its quiz passed."""
    walkthroughs = [w for w in content.walkthroughs() if PARENT in w.audiences and w.task_id]
    completed = completed_lessons(account_ids)
    passed = passed_quizzes(account_ids)
    return {
        account: {
            w.task_id
            for w in walkthroughs
            if w.id in completed[account] and (not w.quiz_id or w.quiz_id in passed[account])
        }
        for account in account_ids
    }


def class_outcomes(
    classrooms: Iterable[Classroom],
    content: ContentRegistry,
    *,
    school_year: str | None = None,
    as_of: date | None = None,
    rules: Rules | None = None,
) -> list[ClassOutcome]:
    """Every class given (all of one school year) with its counted students, its parents
    and relatives, and the relatives it trained — in the order given."""
    classrooms = list(classrooms)
    if not classrooms:
        return []
    year = school_year or classrooms[0].school_year
    as_of = as_of or dates.today()
    rules = rules or rules_for(year)
    wanted = {c.id for c in classrooms}
    year_start, _year_end = school_year_dates(year)
    year_start_utc = dates.start_of_day_utc(year_start)
    year_end_utc = dates.day_range_utc(year_start, _year_end)[1]

    counted = {
        sid: row
        for sid, row in _enrolments(year, as_of, classroom_ids=wanted).items()
        if row[1] in wanted
    }
    student_ids = set(counted)

    # Relatives these students registered or guided, every link and counted session of
    # theirs (a sibling in another class may have guided them first).
    registered = sa.select(RelativeLink.relative_id).where(RelativeLink.student_id.in_(student_ids))
    guided = sa.select(GuidedSession.relative_id).where(GuidedSession.student_id.in_(student_ids))
    relative_ids = sa.union(registered, guided)
    links = db.session.execute(
        sa.select(RelativeLink.relative_id, RelativeLink.student_id)
        .where(RelativeLink.relative_id.in_(relative_ids))
        .order_by(RelativeLink.id)
    ).all()
    sessions = counted_sessions(GuidedSession.relative_id.in_(relative_ids))
    parent_links = db.session.execute(
        sa.select(ParentLink.parent_id, ParentLink.student_id)
        .join(User, User.id == ParentLink.parent_id)
        .where(
            ParentLink.parent_id.in_(
                sa.select(ParentLink.parent_id).where(ParentLink.student_id.in_(student_ids))
            ),
            User.role == Role.PARENT,
            User.active,
        )
        .order_by(ParentLink.id)
    ).all()
    relatives = db.session.execute(
        sa.select(Relative.id, Relative.account_id).where(Relative.id.in_(relative_ids))
    ).all()
    claimed_accounts = {
        row[0]
        for row in db.session.execute(
            sa.select(Relative.account_id).where(
                Relative.account_id.in_({p for p, _s in parent_links})
            )
        )
    }

    # The class each other student involved counts in this year (perhaps none).
    others = (
        {s for _r, s in links} | {x.student_id for x in sessions} | {s for _p, s in parent_links}
    ) - student_ids
    class_of = {sid: row[1] for sid, row in counted.items()}
    if others:
        class_of.update(
            {sid: row[1] for sid, row in _enrolments(year, as_of, student_ids=others).items()}
        )

    result = {c.id: ClassOutcome(c.id, c.name, c.grade, c.school_id) for c in classrooms}
    school_of = {c.id: c.school_id for c in classrooms}

    # Students.
    completed = completed_lessons(student_ids)
    passed = passed_quizzes(student_ids)
    helped: dict[int, set[int]] = defaultdict(set)
    for s in sessions:
        if year_start_utc <= s.at < year_end_utc:
            helped[s.student_id].add(s.relative_id)
    achievable: dict[str, int] = {}
    for sid, (_sid, classroom_id, school_id, grade, full_name, username) in counted.items():
        level = level_for_grade(grade, content.framework)
        if level and level not in achievable:
            achievable[level] = len(achievable_competences(level, STUDENT, content))
        core_path = rules.core_paths.get(level) if level else None
        done = bool(core_path) and path_completed(core_path, completed[sid], passed[sid], content)
        result[classroom_id].students.append(
            StudentOutcome(
                id=sid,
                full_name=full_name,
                username=username,
                classroom_id=classroom_id,
                school_id=school_id,
                level=level,
                completed=completed[sid],
                passed=passed[sid],
                competences=(
                    competences_achieved(passed[sid], level, STUDENT, content) if level else set()
                ),
                achievable=achievable[level] if level else 0,
                relative_ids=set(helped[sid]),
                path_done=done,
                counted=core_path is not None,
                achieved=done and len(helped[sid]) >= rules.min_relatives,
            )
        )

    # Relatives: one class each.
    by_relative: dict[int, list] = defaultdict(list)
    for s in sessions:
        by_relative[s.relative_id].append(s)
    linked: dict[int, list[int]] = defaultdict(list)
    for relative_id, student_id in links:
        linked[relative_id].append(student_id)
    walkthrough_task = {w.id: w.task_id for w in content.walkthroughs() if w.task_id}
    account_of = dict(relatives)
    accounts = {a for a in account_of.values() if a is not None}
    accounts |= {p for p, _s in parent_links if p not in claimed_accounts}
    self_study = _self_study_tasks(accounts, content)

    def place(person: ParentOutcome, account: int | None) -> None:
        if account is not None:
            person.self_study_tasks = self_study.get(account, set())
        person.achieved = rules.tasks_met(person.guided_tasks | person.self_study_tasks)
        if person.achieved:
            by_guidance = rules.tasks_met(person.guided_tasks)
            person.way = BY_GUIDANCE if by_guidance else BY_SELF_STUDY
        result[person.classroom_id].parents.append(person)

    for relative_id in sorted(account_of):
        own = by_relative.get(relative_id, [])
        this_year = [s for s in own if year_start_utc <= s.at < year_end_utc]
        guide = next((s for s in this_year + own if class_of.get(s.student_id) is not None), None)
        if guide is not None:
            classroom_id = class_of[guide.student_id]
        else:
            first = next((s for s in linked[relative_id] if s in class_of), None)
            classroom_id = class_of[first] if first is not None else None
        if classroom_id not in result:
            continue  # counted in another class, or in none this year
        if guide is not None and guide in this_year:
            result[classroom_id].relatives_trained.add(relative_id)
        person = ParentOutcome(
            f"r{relative_id}",
            classroom_id,
            school_of[classroom_id],
            guided_tasks={
                walkthrough_task[s.walkthrough_id]
                for s in own
                if s.walkthrough_id in walkthrough_task
            },
            students=set(linked[relative_id]),
        )
        place(person, account_of[relative_id])

    followed: dict[int, list[int]] = defaultdict(list)
    for parent_id, student_id in parent_links:
        followed[parent_id].append(student_id)
    for parent_id, children in sorted(followed.items()):
        if parent_id in claimed_accounts:
            continue  # the relative row stands for this person
        first = next((s for s in children if s in class_of), None)
        classroom_id = class_of.get(first) if first is not None else None
        if classroom_id not in result:
            continue
        person = ParentOutcome(
            f"u{parent_id}", classroom_id, school_of[classroom_id], students=set(children)
        )
        place(person, parent_id)
    return [result[c.id] for c in classrooms]


def staff_outcomes(
    school_ids: Iterable[int], rules: Rules, content: ContentRegistry
) -> list[StaffOutcome]:
    """Active staff, teachers and school admins of these schools, achieved or not."""
    ids = list(school_ids)
    if not ids:
        return []
    people = db.session.execute(
        sa.select(User.id, User.school_id)
        .where(User.school_id.in_(ids), User.role.in_(STAFF_ROLES), User.active)
        .order_by(User.id)
    ).all()
    user_ids = {row[0] for row in people}
    completed = completed_lessons(user_ids)
    passed = passed_quizzes(user_ids)
    staff_lessons = content.lessons_for(audience=STAFF)
    result = []
    for user_id, school_id in people:
        lessons_passed = sum(
            1
            for lesson in staff_lessons
            if (
                lesson.quiz_id in passed[user_id]
                if lesson.quiz_id
                else lesson.id in completed[user_id]
            )
        )
        achieved = lessons_passed >= rules.staff_min_passed_lessons or path_completed(
            rules.staff_path, completed[user_id], passed[user_id], content
        )
        result.append(StaffOutcome(user_id, school_id, achieved))
    return result


def school_classrooms(school_ids: Iterable[int], school_year: str) -> list[Classroom]:
    return list(
        db.session.scalars(
            sa.select(Classroom)
            .where(Classroom.school_id.in_(list(school_ids)), Classroom.school_year == school_year)
            .order_by(Classroom.school_id, Classroom.grade, Classroom.name)
        )
    )


def school_outcomes(
    school_ids: Iterable[int],
    school_year: str,
    content: ContentRegistry,
    as_of: date | None = None,
) -> dict[int, SchoolOutcome]:
    """Per school: its classes' outcomes and its staff, for the school year."""
    ids = list(school_ids)
    rules = rules_for(school_year)
    classrooms = school_classrooms(ids, school_year)
    classes = class_outcomes(classrooms, content, school_year=school_year, as_of=as_of, rules=rules)
    staff = staff_outcomes(ids, rules, content)
    return {
        school_id: SchoolOutcome(
            school_id,
            [c for c in classes if c.school_id == school_id],
            [s for s in staff if s.school_id == school_id],
        )
        for school_id in ids
    }


def counts(school: SchoolOutcome) -> dict:
    """A school's aggregates: numbers only, nobody named."""
    students = [s for s in school.students if s.counted]
    parents = school.parents
    return {
        "staff": {
            "achieved": sum(1 for s in school.staff if s.achieved),
            "total": len(school.staff),
        },
        "students": {
            "achieved": sum(1 for s in students if s.achieved),
            "total": len(students),
        },
        "parents": {
            "achieved": sum(1 for p in parents if p.achieved),
            "total": len(parents),
            BY_GUIDANCE: sum(1 for p in parents if p.way == BY_GUIDANCE),
            BY_SELF_STUDY: sum(1 for p in parents if p.way == BY_SELF_STUDY),
        },
        "relatives_trained": school.relatives_trained,
    }


def ward_aggregates(
    ward_ids: Iterable[int],
    school_year: str,
    content: ContentRegistry,
    as_of: date | None = None,
) -> dict[int, dict]:
    """For each ward: ``{"schools": {school id: counts}, "total": counts}`` — aggregates
    only, no names of people (for the ward and city pages)."""
    wards = list(ward_ids)
    schools = db.session.execute(
        sa.select(School.id, School.ward_id).where(School.ward_id.in_(wards)).order_by(School.id)
    ).all()
    outcomes = school_outcomes([s for s, _w in schools], school_year, content, as_of)
    result = {ward_id: {"schools": {}, "total": None} for ward_id in wards}
    for school_id, ward_id in schools:
        result[ward_id]["schools"][school_id] = counts(outcomes[school_id])
    for entry in result.values():
        entry["total"] = add_counts(entry["schools"].values())
    return result


def add_counts(many: Iterable[dict]) -> dict:
    """The sum of several ``counts``."""
    total: dict = {
        "staff": {"achieved": 0, "total": 0},
        "students": {"achieved": 0, "total": 0},
        "parents": {"achieved": 0, "total": 0, BY_GUIDANCE: 0, BY_SELF_STUDY: 0},
        "relatives_trained": 0,
    }
    for one in many:
        for group in ("staff", "students", "parents"):
            for key in total[group]:
                total[group][key] += one[group][key]
        total["relatives_trained"] += one["relatives_trained"]
    return total


def class_relatives_trained(
    classroom: Classroom, content: ContentRegistry, as_of: date | None = None
) -> int:
    """Distinct relatives the class trained in its school year (the class card's figure)."""
    (outcome,) = class_outcomes([classroom], content, as_of=as_of)
    return len(outcome.relatives_trained)
