"""``make bench``: dashboard timings and HTTP throughput, printed as one table.

For each database (SQLite always; PostgreSQL when ``BENCH_PG_URL`` — default
postgresql://postgres@127.0.0.1:5432/cunghocso_bench — is reachable):

1. seed a ward of ``--schools`` schools × ``--students`` pupils with ~600 progress rows
   each (``bench/seed.py``; kept between runs: SQLite under instance/bench/, PostgreSQL
   in its own database);
2. time, in process, the class dashboard (a class of 40), the school dashboard (a school
   of 1,500) and the ward page (all schools): p50 and p95 over repeated requests;
3. start gunicorn with 2 workers on 127.0.0.1 and drive it with a small threaded
   http.client load (bounded in requests and seconds): the teacher's class report,
   opening a lesson, submitting a quiz (then checking that no attempt was lost or
   recorded twice, and that no "database is locked" appeared), a certificate PDF, and
   one worker's resident memory. Endpoints another feature has not built yet are
   reported as "n/a (endpoint missing)".

Only 127.0.0.1 is ever contacted. Results also go to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/cunghocso_bench"
SECRET = secrets.token_hex(32)


@dataclass
class Row:
    measure: str
    backend: str
    p50: str = "—"
    p95: str = "—"
    rate: str = "—"
    target: str = ""
    verdict: str = ""
    note: str = ""


def _ms(values: list[float]) -> tuple[str, str]:
    if not values:
        return "—", "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered) * 1000:.1f} ms", f"{p95 * 1000:.1f} ms"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


# --- the database and the app in process ------------------------------------------------


def _bench_app(url: str):
    from app import create_app
    from config import Config, _normalise_db_url

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = _normalise_db_url(url)
        SECRET_KEY = SECRET
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def _postgres_ready(url: str) -> str | None:
    """Create the bench database if the server is reachable; None when it is not."""
    import psycopg

    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return f"n/a (PostgreSQL unreachable: {error.__class__.__name__})"
    return None


def _prepare(url: str, args) -> None:
    """Tables (create_all: the bench database is throwaway) and the seeded ward."""
    from app.extensions import db
    from bench.seed import seed_ward

    app = _bench_app(url)
    with app.app_context():
        db.create_all()
        print(seed_ward(schools=args.schools, students_per_school=args.students,
                        rows_per_student=args.rows, echo=print))  # fmt: skip


@dataclass
class Accounts:
    teacher: str
    classroom_id: int
    class_size: int
    school_admin: str
    ward_officer: str
    students: list[str]
    lesson_id: str | None
    quiz_id: str | None
    quiz_questions: int
    certificate: tuple[str, int] | None  # (holder's username, certificate id)
    progress_rows: int


def _accounts(url: str, args) -> Accounts:
    import sqlalchemy as sa

    from app.content import get_content
    from app.extensions import db
    from app.learn.progress_rules import level_for_grade
    from app.models import (
        Classroom,
        Enrollment,
        GuidedSession,
        LessonProgress,
        QuizAttempt,
        QuizResult,
        SessionStep,
        User,
    )
    from bench.seed import ward_code

    app = _bench_app(url)
    code = ward_code(args.schools, args.students)
    prefix = f"{code}-t01"
    with app.app_context():
        content = get_content()
        teacher = db.session.scalar(sa.select(User).where(User.username == f"{prefix}-gv01"))
        classroom = db.session.scalar(
            sa.select(Classroom).where(Classroom.homeroom_teacher_id == teacher.id)
        )
        size = db.session.scalar(
            sa.select(sa.func.count()).where(Enrollment.classroom_id == classroom.id)
        )
        students = list(
            db.session.scalars(
                sa.select(User.username)
                .join(Enrollment, Enrollment.student_id == User.id)
                .where(Enrollment.classroom_id == classroom.id)
                .order_by(User.id)
            )
        )
        level = level_for_grade(classroom.grade, content.framework)
        lessons = content.lessons_for(audience="student", level=level)
        quizzes = [content.quiz(x.quiz_id) for x in lessons if x.quiz_id]
        quiz = max(quizzes, key=lambda q: (len(q.draw(random.Random(1))), q.id))
        rows = sum(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (LessonProgress, QuizResult, QuizAttempt, GuidedSession, SessionStep)
        )
        certificate = _certificate_for(students, app) if "certificates.download_pdf" in (
            app.view_functions
        ) else None  # fmt: skip
        return Accounts(
            teacher=teacher.username,
            classroom_id=classroom.id,
            class_size=size,
            school_admin=f"{prefix}-bgh",
            ward_officer=f"{code}-phuong",
            students=students,
            lesson_id=lessons[0].id if lessons else None,
            quiz_id=quiz.id,
            quiz_questions=len(quiz.draw(random.Random(1))),
            certificate=certificate,
            progress_rows=rows,
        )


def _certificate_for(usernames: list[str], app) -> tuple[str, int] | None:
    """A path certificate for a pupil of the class who finished the core path."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import User

    try:
        from app.certificates.learners import issue_for_users
        from app.models.certificates import Certificate
    except ImportError:
        return None
    users = list(db.session.scalars(sa.select(User).where(User.username.in_(usernames))))
    found = db.session.scalar(
        sa.select(Certificate).where(Certificate.holder_user_id.in_([u.id for u in users]))
    )
    if found is None:
        from flask_babel import force_locale

        with app.test_request_context(), force_locale("vi"):
            issue_for_users(users)
            db.session.commit()
        found = db.session.scalar(
            sa.select(Certificate).where(Certificate.holder_user_id.in_([u.id for u in users]))
        )
    if found is None:
        return None
    holder = next(u for u in users if u.id == found.holder_user_id)
    return holder.username, found.id


def _in_process(url: str, backend: str, accounts: Accounts, args) -> list[Row]:
    from bench.seed import BENCH_PASSWORD

    app = _bench_app(url)
    rows = []
    pages = [
        (f"Bảng lớp ({accounts.class_size} HS; CSDL {accounts.progress_rows:,} dòng tiến độ)",
         accounts.teacher, f"/teach/classes/{accounts.classroom_id}", args.repeat, 50.0),
        (f"Trang trường ({args.students:,} HS)", accounts.school_admin, "/school/",
         max(5, args.repeat // 6), None),
        (f"Trang phường ({args.schools} trường)", accounts.ward_officer, "/ward/",
         max(3, args.repeat // 15), None),
    ]  # fmt: skip
    for label, username, path, repeat, target in pages:
        client = app.test_client()
        login = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
        if login.status_code != 302:
            rows.append(Row(label, backend, note=f"đăng nhập thất bại ({login.status_code})"))
            continue
        client.get(path)  # warm: content rules, templates, connection pool
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        p50, p95 = _ms(times)
        verdict = ""
        if target is not None:
            verdict = "đạt" if _p95(times) * 1000 <= target else "CHƯA ĐẠT"
        rows.append(Row(label, backend, p50, p95, "", f"p95 ≤ {target:.0f} ms" if target else "",
                        verdict, f"{repeat} lần, trong tiến trình"))  # fmt: skip
    rows.append(_class_pdf_row(app, backend, accounts))
    return rows


CLASS_PRINT = 40


def _class_pdf_row(app, backend: str, accounts: Accounts) -> Row:
    """A class of 40 in one PDF, from an empty cache (then the cached download)."""
    import tempfile

    import sqlalchemy as sa

    label = f"PDF cả lớp {CLASS_PRINT} giấy (bộ nhớ đệm trống)"
    if accounts.certificate is None:
        return Row(label, backend, note="n/a (no certificate)")
    from app.certificates import pdf
    from app.extensions import db
    from app.models.certificates import Certificate

    with app.test_request_context(), tempfile.TemporaryDirectory() as cache:
        app.config["CERTIFICATE_CACHE_DIR"] = cache
        model = db.session.get(Certificate, accounts.certificate[1])
        columns = [c.key for c in sa.inspect(Certificate).mapper.column_attrs]
        pupils = []
        for i in range(CLASS_PRINT):  # transient copies: names and codes differ per page
            copy = Certificate(**{c: getattr(model, c) for c in columns})
            copy.id = 10_000_000 + i
            copy.code = model.code[:-4] + f"{i:04d}"
            copy.holder_name = f"Nguyễn Thị Học Sinh Số {i + 1}"
            pupils.append(copy)
        start = time.perf_counter()
        document = pdf.certificates_pdf("bench-class", pupils)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        assert pdf.certificates_pdf("bench-class", pupils) == document
        hit = time.perf_counter() - start
        db.session.rollback()
    return Row(label, backend, f"{cold * 1000:.0f} ms", "—", "", "≤ 5000 ms",
               "đạt" if cold <= 5 else "CHƯA ĐẠT",
               f"{len(document) // 1024} KB; lần sau (tệp đệm) {hit * 1000:.1f} ms")  # fmt: skip


# --- HTTP against gunicorn ----------------------------------------------------------------


class _FormFields(HTMLParser):
    """The inputs of the first form posting to ``action``: what a browser would send."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str, str]] = []  # (name, type, value)
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action") == self.action:
            self.inside = True
        elif self.inside and tag == "input" and a.get("name"):
            self.fields.append((a["name"], a.get("type", "text"), a.get("value", "")))
        elif self.inside and tag == "select":
            self._select = a.get("name")
        elif self.inside and tag == "option" and self._select:
            self.fields.append((self._select, "option", a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None


def _answers(html: str, action: str) -> dict[str, list[str]]:
    """Fill a quiz form: first choice of every radio and checkbox, orderings 1, 2, 3…"""
    parser = _FormFields(action)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    option_seen: dict[str, int] = {}
    for name, kind, value in parser.fields:
        first_choice = kind in ("radio", "checkbox") and name not in data
        if kind in ("hidden", "text") or first_choice:
            data[name] = [value]
        elif kind == "option" and name not in data:
            group = name.rsplit(".", 1)[0]
            option_seen[group] = option_seen.get(group, 0) + 1
            data[name] = [str(option_seen[group])]
    return data


class Browser:
    """One user's cookies; a fresh connection per request (gunicorn's sync workers close
    every connection anyway)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def login(self, username: str, password: str) -> bool:
        status, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        form = {"username": username, "password": password,
                "csrf_token": token.group(1).decode() if token else ""}  # fmt: skip
        status, _ = self.request("POST", "/login", form)
        return status == 302


@dataclass
class Load:
    ok: int = 0
    failed: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    cpu_per_request: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


def drive(job: Callable[[int], int], total: int, threads: int, max_seconds: float) -> Load:
    """Run ``job(i)`` for i < total on ``threads`` threads, stopping after max_seconds."""
    load, lock = Load(), threading.Lock()
    counter = iter(range(total))
    deadline = time.perf_counter() + max_seconds

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            start = time.perf_counter()
            try:
                status = job(index)
            except OSError:
                status = 0
            took = time.perf_counter() - start
            with lock:
                load.latencies.append(took)
                load.statuses[status] = load.statuses.get(status, 0) + 1
                if status in (200, 302):
                    load.ok += 1
                else:
                    load.failed += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    load.elapsed = time.perf_counter() - started
    return load


class Gunicorn:
    def __init__(self, url: str, tuning: bool):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = RESULTS / f"gunicorn-{self.port}.log"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "FLASK_CONFIG": "production",
            "SESSION_COOKIE_SECURE": "0",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "LOGIN_IP_RATE_LIMIT": "10000 per hour",
            "BENCH_SQLITE_TUNING": "1" if tuning else "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", "bench.wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if Browser(self.port).request("GET", "/login")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start, see {self.log}")

    def workers(self) -> list[str]:
        return subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                              capture_output=True, text=True).stdout.split()  # fmt: skip

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the workers: unlike wall time, it does
        not depend on what else the machine is doing."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.workers():
            stat = Path(f"/proc/{pid}/stat")
            if stat.exists():
                fields = stat.read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def worker_rss_mb(self) -> float:
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
                if match:
                    sizes.append(int(match.group(1)) / 1024)
        return max(sizes, default=0.0)

    def locked_errors(self) -> int:
        return self.log.read_text(errors="replace").count("database is locked")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def measured(server: Gunicorn, run: Callable[[], Load]) -> Load:
    """Run a load and record the workers' CPU time per successful request."""
    before = server.cpu_seconds()
    load = run()
    load.cpu_per_request = (server.cpu_seconds() - before) / max(1, load.ok + load.failed)
    return load


def _load_row(label, backend, load: Load, target: float | None, note: str = "") -> Row:
    p50, p95 = _ms(load.latencies)
    verdict = ""
    if target is not None:
        verdict = "đạt" if load.rate >= target and not load.failed else "CHƯA ĐẠT"
    extra = f"{load.ok} yêu cầu / {load.elapsed:.1f} s"
    if load.cpu_per_request:
        capacity = 2 / load.cpu_per_request
        extra += (f"; CPU worker {load.cpu_per_request * 1000:.1f} ms/yêu cầu "
                  f"(≈ {capacity:.0f}/s trên 2 lõi rảnh)")  # fmt: skip
    if load.failed:
        extra += f", {load.failed} lỗi {load.statuses}"
    return Row(label, backend, p50, p95, f"{load.rate:.0f}/s",
               f"≥ {target:.0f}/s" if target else "", verdict,
               "; ".join(x for x in (extra, note) if x))  # fmt: skip


def _http(url: str, backend: str, accounts: Accounts, args, tuning: bool) -> list[Row]:
    from bench.seed import BENCH_PASSWORD

    rows: list[Row] = []
    server = Gunicorn(url, tuning)
    try:
        teacher = Browser(server.port)
        teacher.login(accounts.teacher, BENCH_PASSWORD)
        path = f"/teach/classes/{accounts.classroom_id}"
        load = measured(server, lambda: drive(
            lambda i: teacher.request("GET", path)[0], args.requests, args.threads,
            args.seconds))  # fmt: skip
        rows.append(_load_row(f"HTTP: báo cáo lớp ({accounts.class_size} HS)", backend, load,
                              155))  # fmt: skip

        students = [Browser(server.port) for _ in range(min(args.threads * 2, 16))]
        for browser, username in zip(students, accounts.students, strict=False):
            browser.login(username, BENCH_PASSWORD)
        if accounts.lesson_id and _exists(students[0], f"/learn/lessons/{accounts.lesson_id}"):
            lesson = f"/learn/lessons/{accounts.lesson_id}"
            load = measured(server, lambda: drive(
                lambda i: students[i % len(students)].request("GET", lesson)[0],
                args.requests * 2, args.threads, args.seconds))  # fmt: skip
            rows.append(_load_row("HTTP: mở một bài học", backend, load, 360))
        else:
            rows.append(Row("HTTP: mở một bài học", backend, note="n/a (endpoint missing)"))

        rows.append(_quiz_row(server, url, students, accounts, args, backend, tuning))
        rows.append(_certificate_row(server, accounts, backend))
        rss = server.worker_rss_mb()
        rows.append(Row("RSS một worker", backend, rate=f"{rss:.0f} MB", target="≤ 150 MB",
                        verdict="đạt" if rss <= 150 else "CHƯA ĐẠT",
                        note="sau các phép đo trên"))  # fmt: skip
    finally:
        server.stop()
    return rows


def _exists(browser: Browser, path: str) -> bool:
    return browser.request("GET", path)[0] == 200


def _quiz_row(
    server: Gunicorn, url: str, students, accounts: Accounts, args, backend, tuning
) -> Row:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import QuizAttempt, User

    label = f"HTTP: nộp bài kiểm tra {accounts.quiz_questions} câu"
    if not tuning:
        label += " (SQLite mặc định)"
    path = f"/learn/quizzes/{accounts.quiz_id}"
    if not accounts.quiz_id or not _exists(students[0], path):
        return Row(label, backend, note="n/a (endpoint missing)")
    total = args.requests // 2
    papers: list[tuple[Browser, dict]] = []
    for index in range(total):  # fetch the papers first: only submitting is timed
        browser = students[index % len(students)]
        status, page = browser.request("GET", path)
        papers.append((browser, _answers(page.decode(), path)))
    duplicates = papers[: max(1, total // 20)]  # a double click on 5% of them
    work = papers + duplicates
    app = _bench_app(url)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt))
    load = measured(server, lambda: drive(
        lambda i: work[i][0].request("POST", path, work[i][1])[0], len(work), args.threads,
        args.seconds * 3))  # fmt: skip
    with app.app_context():
        ids = list(db.session.scalars(sa.select(User.id).where(
            User.username.in_(accounts.students))))  # fmt: skip
        after = db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt))
        distinct = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(QuizAttempt.submission_token))).where(
                QuizAttempt.user_id.in_(ids)
            )
        )
    recorded = after - before
    locked = server.locked_errors()
    note = (f"{total} bài + {len(duplicates)} bấm lại: {recorded} lượt được ghi "
            f"({'đúng' if recorded == total else 'SAI'}), "
            f"{locked} lỗi “database is locked”; {distinct:,} mã nộp bài khác nhau")  # fmt: skip
    row = _load_row(label, backend, load, 42, note)
    if recorded != total or locked:
        row.verdict = "CHƯA ĐẠT"
    return row


def _certificate_row(server: Gunicorn, accounts: Accounts, backend: str) -> Row:
    from bench.seed import BENCH_PASSWORD

    label = "HTTP: tải PDF chứng nhận"
    if accounts.certificate is None:
        return Row(label, backend, note="n/a (endpoint missing or no certificate)")
    username, certificate_id = accounts.certificate
    holder = Browser(server.port)
    holder.login(username, BENCH_PASSWORD)
    path = f"/certificates/{certificate_id}/pdf"
    start = time.perf_counter()
    status, body = holder.request("GET", path)
    first = time.perf_counter() - start
    if status != 200 or not body.startswith(b"%PDF"):
        return Row(label, backend, note=f"n/a (trả về {status})")
    load = drive(lambda i: holder.request("GET", path)[0], 20, 1, 30)
    p50, p95 = _ms(load.latencies)
    worst = max(first, _p95(load.latencies))
    return Row(label, backend, p50, p95, "", "≤ 300 ms",
               "đạt" if worst <= 0.3 else "CHƯA ĐẠT",
               f"lần đầu (chưa có bộ nhớ đệm) {first * 1000:.0f} ms")  # fmt: skip


# --- the table -----------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    header = Row("Phép đo", "CSDL", "p50", "p95", "Tốc độ / bộ nhớ", "Mục tiêu", "Kết quả",
                 "Ghi chú")  # fmt: skip
    table = [header, *rows]
    columns = list(vars(header))
    widths = {c: max(len(str(getattr(r, c))) for r in table) for c in columns}
    lines = []
    for index, row in enumerate(table):
        lines.append(" | ".join(str(getattr(row, c)).ljust(widths[c]) for c in columns))
        if index == 0:
            lines.append("-+-".join("-" * widths[c] for c in columns))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=10)
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=60, help="requests per in-process timing")
    parser.add_argument("--requests", type=int, default=1200, help="HTTP requests per load")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0, help="time limit per load")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)

    RESULTS.mkdir(parents=True, exist_ok=True)
    sqlite_path = ROOT / "instance" / "bench" / f"bench-{args.schools}x{args.students}.sqlite"
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    backends = [("SQLite", f"sqlite:///{sqlite_path}"),
                ("PostgreSQL", os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))]  # fmt: skip
    rows: list[Row] = []
    for backend, url in backends:
        if args.only and args.only != backend.lower():
            continue
        if backend == "PostgreSQL":
            problem = _postgres_ready(url)
            if problem:
                rows.append(Row("(mọi phép đo)", backend, note=problem))
                continue
        print(f"== {backend}: chuẩn bị dữ liệu…", flush=True)
        _prepare(url, args)
        accounts = _accounts(url, args)
        print(f"== {backend}: đo trong tiến trình…", flush=True)
        rows += _in_process(url, backend, accounts, args)
        if not args.no_http:
            print(f"== {backend}: đo HTTP với gunicorn (2 worker)…", flush=True)
            rows += _http(url, backend, accounts, args, tuning=True)
            if backend == "SQLite":
                server = Gunicorn(url, tuning=False)
                try:
                    browsers = [Browser(server.port) for _ in range(min(args.threads * 2, 16))]
                    from bench.seed import BENCH_PASSWORD

                    for browser, username in zip(browsers, accounts.students, strict=False):
                        browser.login(username, BENCH_PASSWORD)
                    rows.append(_quiz_row(server, url, browsers, accounts, args, backend, False))
                finally:
                    server.stop()
    table = render(rows)
    print()
    print(table)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}.txt").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
