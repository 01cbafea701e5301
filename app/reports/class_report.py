"""The homeroom teacher's view of one class: a row per student, the competence grid,
and one student's detail.

Set-based: a class of 5 and a class of 40 cost the same number of queries (a test counts
them). Flags, documented in docs/reports.md:

- "cần giúp đỡ" (needs help): the student failed the same quiz at least
  ``NEEDS_HELP_FAILURES`` times and has not passed it since (``QuizResult.failed_count``);
- "chưa hoạt động" (inactive): no learning activity — a lesson opened or finished, a quiz
  submitted, a guided session led — for ``INACTIVE_DAYS`` days, or none ever.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa

from app import dates
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn.progress_rules import level_for_grade, required_quizzes
from app.models import (
    Classroom,
    GuidedSession,
    LessonProgress,
    QuizResult,
    ReviewStatus,
    SessionStatus,
    User,
)
from app.models.org import school_year_for
from app.outcomes import ClassOutcome, Rules, StudentOutcome, as_of_date, class_outcomes, rules_for
from app.outcomes.counting import STUDENT

NEEDS_HELP_FAILURES = 3
INACTIVE_DAYS = 7
# A competence is "missing for the class" when fewer than this share of students hold it.
CLASS_MISSING_SHARE = 0.5


@dataclass
class StudentRow:
    facts: StudentOutcome
    last_activity: datetime | None
    struggling_quizzes: list[str]  # quiz ids failed repeatedly and not passed
    inactive: bool

    @property
    def needs_help(self) -> bool:
        return bool(self.struggling_quizzes)


class SortKey(StrEnum):
    NAME = "name"
    LESSONS = "lessons"
    QUIZZES = "quizzes"
    COMPETENCES = "competences"
    RELATIVES = "relatives"
    ACTIVITY = "activity"


def name_key(full_name: str) -> tuple[str, str, str]:
    """Vietnamese class lists go by given name (the last word), then the full name;
    letters compare without tone marks first, and "đ" after "d"."""
    plain = unicodedata.normalize("NFD", full_name.casefold().replace("đ", "dz"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return plain.rsplit(" ", 1)[-1], plain, full_name


# The primary key of each sort; ties keep the by-name order, whichever the direction.
SORTERS = {
    SortKey.NAME: lambda r: name_key(r.facts.full_name),
    SortKey.LESSONS: lambda r: len(r.facts.completed),
    SortKey.QUIZZES: lambda r: len(r.facts.passed),
    SortKey.COMPETENCES: lambda r: len(r.facts.competences),
    SortKey.RELATIVES: lambda r: r.facts.relatives,
    SortKey.ACTIVITY: lambda r: r.last_activity or datetime.min,
}


@dataclass
class ClassReport:
    classroom: Classroom
    level: str | None
    rows: list[StudentRow]  # in class-list order (given name first)
    competences: list[str]  # achievable at the class's level, framework order
    rules: Rules
    generated_at: datetime
    outcome: ClassOutcome  # the one definition (app.outcomes): card and rows read it

    @property
    def achieved_count(self) -> int:
        return self.outcome.achieved

    @property
    def counted(self) -> int:
        return len(self.outcome.counted)

    @property
    def relatives_trained(self) -> int:
        """Distinct relatives this class trained this school year (each counts for one
        class only: the class of the student who guided them)."""
        return len(self.outcome.relatives_trained)

    @property
    def needs_help_count(self) -> int:
        return sum(1 for r in self.rows if r.needs_help)

    @property
    def inactive_count(self) -> int:
        return sum(1 for r in self.rows if r.inactive)

    def sorted_rows(self, key: SortKey, descending: bool) -> list[StudentRow]:
        by_name = self.rows  # already in class-list order
        if key is SortKey.NAME:
            return by_name[::-1] if descending else by_name
        return sorted(by_name, key=SORTERS[key], reverse=descending)  # stable: ties by name


def last_activity(user_ids: set[int]) -> dict[int, datetime]:
    """Each student's latest learning activity, in one query: per student, the newest
    lesson, quiz and guided-session time, each read from the end of an index."""
    if not user_ids:
        return {}
    newest = [
        sa.select(sa.func.max(column)).where(owner == User.id).scalar_subquery()
        for column, owner in (
            (LessonProgress.updated_at, LessonProgress.user_id),
            (QuizResult.last_attempt_at, QuizResult.user_id),
            (GuidedSession.updated_at, GuidedSession.student_id),
        )
    ]
    rows = db.session.execute(sa.select(User.id, *newest).where(User.id.in_(list(user_ids))))
    found = {}
    for user_id, *times in rows:
        times = [t for t in times if t is not None]
        if times:
            found[user_id] = max(times)
    return found


def struggling_quizzes(user_ids: set[int]) -> dict[int, list[str]]:
    """Quizzes each student failed ``NEEDS_HELP_FAILURES`` times or more without passing."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(QuizResult.user_id, QuizResult.quiz_id)
        .where(
            QuizResult.user_id.in_(list(user_ids)),
            QuizResult.passed.is_(False),
            QuizResult.failed_count >= NEEDS_HELP_FAILURES,
        )
        .order_by(QuizResult.quiz_id)
    )
    result: dict[int, list[str]] = {}
    for user_id, quiz_id in rows:
        result.setdefault(user_id, []).append(quiz_id)
    return result


def class_report(
    classroom: Classroom, content: ContentRegistry, now: datetime | None = None
) -> ClassReport:
    """Every counted student of the class with their figures and flags."""
    now = now or dates.utcnow()
    rules = rules_for(classroom.school_year)
    (outcome,) = class_outcomes([classroom], content, as_of=as_of_date(now), rules=rules)
    facts = outcome.students
    ids = {f.id for f in facts}
    activity = last_activity(ids)
    struggling = struggling_quizzes(ids)
    cutoff = now - timedelta(days=INACTIVE_DAYS)
    rows = [
        StudentRow(
            facts=f,
            last_activity=activity.get(f.id),
            struggling_quizzes=struggling.get(f.id, []),
            inactive=activity.get(f.id) is None or activity[f.id] < cutoff,
        )
        for f in facts
    ]
    rows.sort(key=SORTERS[SortKey.NAME])  # the grid and the default view: class-list order
    level = level_for_grade(classroom.grade, content.framework)
    competences = list(required_quizzes(level, STUDENT, content)) if level else []
    return ClassReport(classroom, level, rows, competences, rules, now, outcome)


class CellStatus(StrEnum):
    ACHIEVED = "achieved"  # every quiz covering it at this level passed
    STARTED = "started"  # some of them passed
    NOT_STARTED = "not_started"


@dataclass
class CompetenceGrid:
    report: ClassReport
    cells: dict[tuple[int, str], CellStatus]  # (student id, competence code)
    achieved_by: dict[str, int]  # competence → number of students holding it
    missing: list[str] = field(default_factory=list)  # held by fewer than half the class


def competence_grid(report: ClassReport, content: ContentRegistry) -> CompetenceGrid:
    """Competence × student statuses for the class, with what the class as a whole lacks."""
    required = required_quizzes(report.level, STUDENT, content) if report.level else {}
    cells: dict[tuple[int, str], CellStatus] = {}
    achieved_by = dict.fromkeys(report.competences, 0)
    for row in report.rows:
        for code in report.competences:
            if code in row.facts.competences:
                status = CellStatus.ACHIEVED
                achieved_by[code] += 1
            elif required[code] & row.facts.passed:
                status = CellStatus.STARTED
            else:
                status = CellStatus.NOT_STARTED
            cells[(row.facts.id, code)] = status
    size = len(report.rows)
    missing = [
        code
        for code in report.competences
        if size and achieved_by[code] < CLASS_MISSING_SHARE * size
    ]
    return CompetenceGrid(report, cells, achieved_by, missing)


@dataclass
class QuizLine:
    quiz_id: str
    title: str
    best_score: int
    attempts: int
    failed: int
    passed: bool
    last_attempt_at: datetime

    @property
    def needs_help(self) -> bool:
        return not self.passed and self.failed >= NEEDS_HELP_FAILURES


@dataclass
class CompetenceLine:
    code: str
    name: str
    status: CellStatus
    quizzes_passed: int
    quizzes_required: int


@dataclass
class StudentDetail:
    student: User
    classroom: Classroom | None
    level: str | None
    facts: StudentOutcome | None
    competences: list[CompetenceLine]
    quizzes: list[QuizLine]
    relatives_trained: int
    sessions_waiting: int  # passed, waiting for the teacher's confirmation
    last_activity: datetime | None
    inactive: bool


def student_detail(
    student: User,
    classroom: Classroom | None,
    content: ContentRegistry,
    now: datetime | None = None,
) -> StudentDetail:
    """One student's progress per competence, quizzes and relatives trained (counts only:
    a relative's name and details stay on the guided-session pages)."""
    now = now or dates.utcnow()
    year = classroom.school_year if classroom else school_year_for(now.date())
    rules = rules_for(year)
    facts = None
    if classroom is not None:
        (outcome,) = class_outcomes([classroom], content, as_of=as_of_date(now), rules=rules)
        facts = next((s for s in outcome.students if s.id == student.id), None)
    level = facts.level if facts else None
    competences = []
    if level:
        for code, quizzes in required_quizzes(level, STUDENT, content).items():
            done = len(quizzes & facts.passed)
            status = (
                CellStatus.ACHIEVED
                if done == len(quizzes)
                else CellStatus.STARTED
                if done
                else CellStatus.NOT_STARTED
            )
            competence = content.framework.competence(code)
            competences.append(
                CompetenceLine(
                    code, competence.name_vi if competence else code, status, done, len(quizzes)
                )
            )
    results = db.session.scalars(
        sa.select(QuizResult)
        .where(QuizResult.user_id == student.id)
        .order_by(QuizResult.last_attempt_at.desc())
    ).all()
    quizzes = []
    for result in results:
        quiz = content.quiz(result.quiz_id)
        quizzes.append(
            QuizLine(
                result.quiz_id,
                quiz.title if quiz else result.quiz_id,
                result.best_score,
                result.attempt_count,
                result.failed_count,
                result.passed,
                result.last_attempt_at,
            )
        )
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(GuidedSession)
        .where(
            GuidedSession.student_id == student.id,
            GuidedSession.status == SessionStatus.PASSED,
            GuidedSession.review_status == ReviewStatus.PENDING,
        )
    )
    activity = last_activity({student.id}).get(student.id)
    return StudentDetail(
        student=student,
        classroom=classroom,
        level=level,
        facts=facts,
        competences=competences,
        quizzes=quizzes,
        relatives_trained=facts.relatives if facts else 0,
        sessions_waiting=waiting or 0,
        last_activity=activity,
        inactive=activity is None or activity < now - timedelta(days=INACTIVE_DAYS),
    )
