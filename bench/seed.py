"""A ward of made-up schools with realistic activity, inserted in bulk, for the benchmarks.

Each school has ``students_per_school`` pupils in classes of 40 (grades 6–9), a homeroom
teacher per class, ten more staff and a principal; one pupil in ten has a parent account.
Each pupil gets about ``rows_per_student`` progress rows: lesson progress and quiz
results along their level's lessons (some pupils far ahead, some stuck, some idle for
weeks), quiz attempts, one to three relatives and their guided sessions with the steps
recorded in them. Statuses and reviews are spread as in real use (most passed sessions
confirmed, some pending, some "not yet" or abandoned), times over the last two months.

Rows go in with one COPY (PostgreSQL) or ``executemany`` (SQLite) per table and chunk,
never one ORM object at a time: a 1,500-pupil school (about 900,000 rows) takes seconds.
Ids are assigned here, so child rows can point at their parents without reading back.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.auth.passwords import hash_password
from app.content import get_content
from app.extensions import db
from app.models import (
    Classroom,
    Enrollment,
    GuidedSession,
    LessonProgress,
    ParentLink,
    QuizAttempt,
    QuizResult,
    Relative,
    RelativeLink,
    School,
    SchoolLevel,
    SessionStep,
    User,
    Ward,
)
from app.models.base import utcnow
from app.models.org import school_year_for

BENCH_PASSWORD = "bench-mat-khau-2025"  # noqa: S105 - benchmark accounts on a throwaway database
CLASS_SIZE = 40
STAFF_PER_SCHOOL = 10
CHUNK = 20_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Gia", "Bảo", "Khánh", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hiếu", "Hoa", "Huy", "Khoa", "Lan",
         "Linh", "Long", "Mai", "Nam", "Ngân", "Phúc", "Quân", "Thảo", "Trang", "Tuấn",
         "Vy"]  # fmt: skip


def ward_code(schools: int, students: int) -> str:
    return f"bench-{schools}x{students}"


@dataclass
class Rows:
    """Rows waiting to be written, per table, as tuples in ``columns`` order."""

    columns: dict[str, tuple[str, ...]]
    data: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, *values) -> None:
        self.data.setdefault(table, []).append(values)


@dataclass
class Ids:
    """The next free id of each table (ids are assigned here, not by the database)."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


TABLES = {
    "users": ("id", "username", "password_hash", "full_name", "role", "school_id", "ward_id",
              "birth_year", "large_text", "active", "must_change_password", "session_nonce",
              "created_at"),
    "classrooms": ("id", "school_id", "name", "grade", "school_year", "homeroom_teacher_id"),
    "enrollments": ("classroom_id", "student_id"),
    "parent_links": ("parent_id", "student_id", "relation"),
    "lesson_progress": ("user_id", "lesson_id", "status", "started_at", "completed_at",
                        "updated_at"),
    "quiz_results": ("user_id", "quiz_id", "best_score", "passed", "attempt_count",
                     "failed_count", "passed_at", "last_attempt_at"),
    "quiz_attempts": ("user_id", "quiz_id", "quiz_version", "submission_token", "details",
                      "score", "passed", "created_at"),
    "relatives": ("id", "school_id", "full_name", "birth_year", "created_at"),
    "relative_links": ("student_id", "relative_id", "relation", "consent_on",
                       "parent_informed_on", "created_at"),
    "guided_sessions": ("id", "student_id", "relative_id", "walkthrough_id",
                        "walkthrough_version", "status", "current_step", "check_score",
                        "flags", "review_status", "sampled", "reviewed_by_id", "reviewed_at",
                        "started_at", "finished_at", "updated_at", "version"),
    "session_steps": ("session_id", "step_index", "outcome", "recorded_at"),
}  # fmt: skip
# parents before children: the order rows are written in
ORDER = ["users", "classrooms", "enrollments", "parent_links", "lesson_progress",
         "quiz_results", "quiz_attempts", "relatives", "relative_links", "guided_sessions",
         "session_steps"]  # fmt: skip
MODELS = [User, Classroom, Enrollment, ParentLink, LessonProgress, QuizResult, QuizAttempt,
          Relative, RelativeLink, GuidedSession, SessionStep]  # fmt: skip


def seed_ward(
    *,
    schools: int,
    students_per_school: int,
    rows_per_student: int = 600,
    seed: int = 2025,
    echo: Callable[[str], None] = print,
) -> str:
    """Create the bench ward (once: an existing one with the same size is kept)."""
    code = ward_code(schools, students_per_school)
    if db.session.scalar(sa.select(Ward.id).where(Ward.code == code)) is not None:
        return f"Phường {code} đã có sẵn: giữ nguyên."
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    year = school_year_for(now.date())
    password_hash = hash_password(BENCH_PASSWORD)
    ward = Ward(name=f"Phường Đo Tốc Độ {schools}×{students_per_school}", code=code)
    db.session.add(ward)
    db.session.flush()
    ids = Ids({name: _next_id(model) for name, model in
               (("users", User), ("classrooms", Classroom), ("relatives", Relative),
                ("guided_sessions", GuidedSession))})  # fmt: skip
    officer = Rows(TABLES)
    officer.add("users", ids.take("users"), f"{code}-phuong", password_hash,
                "Cán Bộ Phường", "ward_officer", None, ward.id, 1980, False, True, False,
                _nonce(rng), now)  # fmt: skip
    _write(officer)
    total = 0
    started = datetime.now()
    for number in range(1, schools + 1):
        school = School(ward_id=ward.id, name=f"Trường THCS Đo Tốc Độ {number:02d}",
                        level=SchoolLevel.LOWER_SECONDARY)  # fmt: skip
        db.session.add(school)
        db.session.flush()
        rows = _school_rows(school.id, f"{code}-t{number:02d}", students_per_school,
                            rows_per_student, year, password_hash, ids, rng, now)  # fmt: skip
        count = _write(rows)
        total += count
        echo(f"  trường {number}/{schools}: {count:,} dòng ({datetime.now() - started})")
    _reset_sequences()
    db.session.commit()
    _analyze()
    return (
        f"Đã tạo phường {code}: {schools} trường × {students_per_school} học sinh, "
        f"{total:,} dòng, mật khẩu “{BENCH_PASSWORD}”."
    )


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _nonce(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _school_rows(school_id, prefix, students, per_student, year, password_hash, ids, rng, now):
    content = get_content()
    rows = Rows(TABLES)
    user = "users"

    def person(username, role, **extra):
        user_id = ids.take(user)
        rows.add(user, user_id, username, password_hash, _name(rng), role, school_id, None,
                 extra.get("birth_year", 1985), False, True, False, _nonce(rng),
                 now - timedelta(days=90))  # fmt: skip
        return user_id

    person(f"{prefix}-bgh", "school_admin")
    staff = [person(f"{prefix}-nv{n:02d}", "staff") for n in range(STAFF_PER_SCHOOL)]
    class_count = -(-students // CLASS_SIZE)
    classes = []
    for index in range(class_count):
        grade = 6 + index % 4
        teacher = person(f"{prefix}-gv{index + 1:02d}", "teacher")
        staff.append(teacher)
        classroom_id = ids.take("classrooms")
        name = f"{grade}A{index // 4 + 1}"
        rows.add("classrooms", classroom_id, school_id, name, grade, year, teacher)
        classes.append((classroom_id, grade, teacher))
    staff_lessons = content.lessons_for(audience="staff")
    for staff_id in staff:
        _learner_activity(rows, staff_id, staff_lessons, rng, now, attempts_per_quiz=2)

    walkthroughs = [x for x in content.walkthroughs() if x.steps]
    by_level = {
        grade: content.lessons_for(audience="student", level=_level(content, grade))
        for grade in (6, 7, 8, 9)
    }
    for n in range(students):
        classroom_id, grade, teacher = classes[n % class_count]
        student = person(f"{prefix}-hs{n + 1:04d}", "student", birth_year=now.year - grade - 6)
        rows.add("enrollments", classroom_id, student)
        if n % 10 == 0:
            parent = person(f"{prefix}-ph{n + 1:04d}", "parent", birth_year=1982)
            rows.add("parent_links", parent, student, "mẹ")
        made = _learner_activity(rows, student, by_level[grade], rng, now, attempts_per_quiz=0)
        # one pupil in seven has no relative: the others carry their share of the rows
        budget = (per_student - made) * 7 // 6
        _guided_activity(rows, ids, school_id, student, teacher, walkthroughs, budget, rng, now)
    return rows


def _level(content, grade: int) -> str:
    return content.framework.level_for_grade(grade).code


def _learner_activity(rows, user_id, lessons, rng, now, attempts_per_quiz: int) -> int:
    """Lessons in order: most pupils somewhere along, a few done, a few idle or stuck."""
    kind = rng.random()
    if kind < 0.1:
        reached = 0
    elif kind < 0.3:
        reached = len(lessons)
    else:
        reached = rng.randint(1, len(lessons))
    idle_days = rng.choice([0, 1, 2, 3, 5, 9, 14, 30]) if reached else 60
    last = now - timedelta(days=idle_days, minutes=rng.randint(0, 600))
    made = 0
    for index, lesson in enumerate(lessons[: reached + 1]):
        at = last - timedelta(days=(reached - index) * rng.uniform(0.5, 2))
        done = index < reached
        rows.add("lesson_progress", user_id, lesson.id, "completed" if done else "in_progress",
                 at - timedelta(minutes=30), at if done else None, at)  # fmt: skip
        made += 1
        if not done or not lesson.quiz_id:
            continue
        stuck = rng.random() < 0.06
        failed = rng.randint(3, 5) if stuck else (0 if rng.random() < 0.7 else rng.randint(1, 2))
        passed = not stuck
        tries = failed + (1 if passed else 0)
        rows.add("quiz_results", user_id, lesson.quiz_id, 85 if passed else 40, passed, tries,
                 failed, at if passed else None, at)  # fmt: skip
        made += 1
        for attempt in range(attempts_per_quiz or tries):
            ok = passed and attempt == tries - 1
            rows.add("quiz_attempts", user_id, lesson.quiz_id, "bench",
                     f"{rng.getrandbits(128):032x}", "{}", 85 if ok else 40, ok,
                     at - timedelta(minutes=5 * (tries - attempt)))  # fmt: skip
            made += 1
    return made


REVIEWS = ["confirmed"] * 7 + ["pending", "rejected"]


def _guided_activity(rows, ids, school_id, student, teacher, walkthroughs, budget, rng, now):
    """1–3 relatives (some pupils none) and their sessions, until ``budget`` rows are used
    (the rest of the budget goes to extra quiz attempts of sessions' check questions)."""
    relatives = rng.choice([0, 1, 1, 1, 2, 2, 3])
    if not relatives or budget <= 0:
        return
    people = []
    for _ in range(relatives):
        relative_id = ids.take("relatives")
        rows.add("relatives", relative_id, school_id, _name(rng), rng.randint(1945, 1985),
                 now - timedelta(days=50))  # fmt: skip
        day = (now - timedelta(days=50)).date()
        rows.add("relative_links", student, relative_id, "bà", day, day, now - timedelta(days=50))
        people.append(relative_id)
        budget -= 2
    while budget > 0:
        walkthrough = rng.choice(walkthroughs)
        relative_id = rng.choice(people)
        steps = len(walkthrough.steps)
        started = now - timedelta(days=rng.uniform(1, 55))
        finished = started + timedelta(minutes=steps * 2 + 3)
        outcome = rng.random()
        if outcome < 0.75:
            status, review = "passed", rng.choice(REVIEWS)
        elif outcome < 0.85:
            status, review = "not_yet", "none"
        elif outcome < 0.95:
            status, review = "abandoned", "none"
        else:
            status, review = "in_progress", "none"
        done_steps = steps if status in ("passed", "not_yet") else rng.randint(1, steps)
        session_id = ids.take("guided_sessions")
        reviewed = review in ("confirmed", "rejected")
        rows.add("guided_sessions", session_id, student, relative_id, walkthrough.id, "bench",
                 status, done_steps, 100 if status == "passed" else None, "[]", review, False,
                 teacher if reviewed else None,
                 finished + timedelta(days=1) if reviewed else None, started,
                 finished if status in ("passed", "not_yet") else None, finished, 1)  # fmt: skip
        for index in range(1, done_steps + 1):
            rows.add("session_steps", session_id, index, rng.choice(["self", "self", "helped"]),
                     started + timedelta(minutes=2 * index))  # fmt: skip
        budget -= 1 + done_steps


def _write(rows: Rows) -> int:
    """Every table's rows, in parent-before-child order, in chunks; returns the count."""
    connection = db.session.connection()
    total = 0
    for table in ORDER:
        data = rows.data.get(table, [])
        for start in range(0, len(data), CHUNK):
            _bulk_insert(connection, table, rows.columns[table], data[start : start + CHUNK])
        total += len(data)
    return total


def _bulk_insert(connection, table: str, columns: Sequence[str], data: Iterable[tuple]) -> None:
    raw = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                       [tuple(_sqlite(v) for v in row) for row in data])  # fmt: skip


def _sqlite(value):
    """Values as SQLAlchemy stores them in SQLite (its DATETIME format has microseconds)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map that index-only
    scans need): without them the first queries after a bulk load pick poor plans."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE")
            )
        else:
            connection.execute(sa.text("ANALYZE"))
            connection.commit()


def _reset_sequences() -> None:
    """PostgreSQL: move each serial past the ids assigned here."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for model in MODELS:
        table = model.__tablename__
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
