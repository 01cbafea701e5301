"""Who has achieved what, for whole classes and schools at once.

Every function here takes a set of classes, schools or people and runs a fixed number of
queries, whatever their size (one per table, then dict and set lookups, as Kolibri's
coach reports do). The rules themselves come from ``app.learn.progress_rules`` (lessons,
quizzes, competences, paths) and ``app.reports.rules`` (what "achieved" means).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.content.registry import ContentRegistry
from app.extensions import db
from app.guided.stats import confirmed_relatives_by_student
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
    ParentLink,
    Relative,
    RelativeLink,
    Role,
    User,
)
from app.reports.relatives import confirmed_tasks_of_school_relatives
from app.reports.rules import Rules

STUDENT, STAFF = "student", "staff"


@dataclass
class StudentFacts:
    """One student's figures in one class."""

    id: int
    full_name: str
    username: str
    classroom_id: int
    level: str | None
    completed: set[str]
    passed: set[str]
    competences: set[str]
    achievable: int  # competences that can be achieved at the level at all
    relatives: int  # distinct relatives this student trained, confirmed sessions only
    path_done: bool
    counted: bool  # the level has a core path, so the student counts towards the target
    achieved: bool

    @property
    def competence_share(self) -> float:
        return len(self.competences) / self.achievable if self.achievable else 0.0


def class_students(
    classroom_ids: Iterable[int], only: int | None = None
) -> list[tuple[int, str, str, int, int]]:
    """(student id, full name, username, classroom id, grade) of the active students,
    or of the one student ``only``."""
    ids = list(classroom_ids)
    if not ids:
        return []
    query = (
        sa.select(User.id, User.full_name, User.username, Classroom.id, Classroom.grade)
        .join(Enrollment, Enrollment.student_id == User.id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Enrollment.classroom_id.in_(ids), User.role == Role.STUDENT, User.active)
    )  # no ORDER BY: callers sort as Vietnamese class lists do (class_report.name_key)
    if only is not None:
        query = query.where(User.id == only)
    return [tuple(row) for row in db.session.execute(query)]


def student_facts(
    classroom_ids: Iterable[int], rules: Rules, content: ContentRegistry, only: int | None = None
) -> list[StudentFacts]:
    """Every active student of these classes (or just ``only``) with their figures, in
    four queries."""
    members = class_students(classroom_ids, only)
    ids = {row[0] for row in members}
    completed = completed_lessons(ids)
    passed = passed_quizzes(ids)
    relatives = confirmed_relatives_by_student(ids)
    facts = []
    achievable: dict[str, int] = {}  # per level, computed once
    for student_id, full_name, username, classroom_id, grade in members:
        level = level_for_grade(grade, content.framework)
        if level and level not in achievable:
            achievable[level] = len(achievable_competences(level, STUDENT, content))
        core_path = rules.core_paths.get(level) if level else None
        done = bool(core_path) and path_completed(
            core_path, completed[student_id], passed[student_id], content
        )
        trained = relatives.get(student_id, 0)
        facts.append(
            StudentFacts(
                id=student_id,
                full_name=full_name,
                username=username,
                classroom_id=classroom_id,
                level=level,
                completed=completed[student_id],
                passed=passed[student_id],
                competences=(
                    competences_achieved(passed[student_id], level, STUDENT, content)
                    if level
                    else set()
                ),
                achievable=achievable[level] if level else 0,
                relatives=trained,
                path_done=done,
                counted=core_path is not None,
                achieved=done and trained >= rules.min_relatives,
            )
        )
    return facts


@dataclass
class StaffFacts:
    id: int
    school_id: int
    achieved: bool


def staff_facts(
    school_ids: Iterable[int], rules: Rules, content: ContentRegistry
) -> list[StaffFacts]:
    """Staff, teachers and school admins of these schools, achieved or not (three queries).

    Achieved: the staff path completed, or at least ``min_passed_lessons`` staff lessons
    passed (a lesson is passed when its quiz is; one without a quiz when completed).
    """
    ids = list(school_ids)
    if not ids:
        return []
    people = db.session.execute(
        sa.select(User.id, User.school_id).where(
            User.school_id.in_(ids), User.role.in_(STAFF_ROLES), User.active
        )
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
        result.append(StaffFacts(user_id, school_id, achieved))
    return result


@dataclass
class ParentFacts:
    """One parent or relative: a ``Relative`` row, a parent account, or both (merged)."""

    key: str  # "r<relative id>" or "u<account id>"
    school_id: int
    tasks: set[str] = field(default_factory=set)
    students: set[int] = field(default_factory=set)  # the students they are linked to
    achieved: bool = False


def parent_facts(
    school_ids: Iterable[int], rules: Rules, content: ContentRegistry
) -> list[ParentFacts]:
    """The parents and relatives known to these schools, each once (five queries).

    The population is every ``Relative`` a student of the school registered plus every
    parent account of the school; a relative who claimed a parent account is one person.
    Achieved: confirmed, passed guided sessions for the tasks the rules ask for.
    """
    ids = list(school_ids)
    if not ids:
        return []
    people: dict[str, ParentFacts] = {}
    by_account: dict[int, str] = {}
    relatives = db.session.execute(
        sa.select(Relative.id, Relative.school_id, Relative.account_id).where(
            Relative.school_id.in_(ids)
        )
    ).all()
    for relative_id, school_id, account_id in relatives:
        key = f"r{relative_id}"
        people[key] = ParentFacts(key, school_id)
        if account_id is not None:
            by_account[account_id] = key
    accounts = db.session.execute(
        sa.select(User.id, User.school_id).where(
            User.school_id.in_(ids), User.role == Role.PARENT, User.active
        )
    ).all()
    for user_id, school_id in accounts:
        if user_id not in by_account:
            key = f"u{user_id}"
            people[key] = ParentFacts(key, school_id)
            by_account[user_id] = key

    wanted = set(rules.parent_all_of_tasks) | set(rules.parent_one_of_tasks)
    tasks = confirmed_tasks_of_school_relatives(ids, content, wanted)
    for relative_id, done in tasks.items():
        people[f"r{relative_id}"].tasks |= done

    links = db.session.execute(
        sa.select(RelativeLink.relative_id, RelativeLink.student_id)
        .join(Relative, Relative.id == RelativeLink.relative_id)
        .where(Relative.school_id.in_(ids))
    )
    for relative_id, student_id in links:
        people[f"r{relative_id}"].students.add(student_id)
    parent_links = db.session.execute(
        sa.select(ParentLink.parent_id, ParentLink.student_id)
        .join(User, User.id == ParentLink.parent_id)
        .where(User.school_id.in_(ids), User.role == Role.PARENT, User.active)
    )
    for parent_id, student_id in parent_links:
        key = by_account.get(parent_id)
        if key is not None:
            people[key].students.add(student_id)

    for person in people.values():
        person.achieved = rules.tasks_met(person.tasks)
    return sorted(people.values(), key=lambda p: p.key)


def group_by(items: Iterable, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped
