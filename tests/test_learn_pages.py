"""The learning pages: framework, coverage, catalogue, lesson, walkthrough steps, lesson
images and "Tiến độ của tôi", on the real content unless a test needs a known set."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.content import get_content
from app.extensions import db
from app.models import LessonProgress, LessonStatus, QuizResult, Role
from tests.test_learn_quizzes import (
    RIGHT,
    make_lesson,
    make_quiz,
    open_quiz,
    registry,
    submit,
)


def lesson_links(html: str) -> list[str]:
    return re.findall(r'href="/learn/lessons/([a-z0-9-]+)"', html)


def catalogue_ids(html: str) -> list[str]:
    """Lesson ids in the full list (after the recommended path card)."""
    return lesson_links(html.split('id="all-lessons"', 1)[1])


# --- framework and coverage (public) -----------------------------------------------------


def test_framework_page_is_public_and_complete(client):
    html = client.get("/learn/framework").get_data(as_text=True)
    framework = get_content().framework
    assert len(framework.domains) == 6 and len(framework.competences) == 24
    for competence in framework.competences:
        assert competence.name_vi in html and competence.name_en in html
    for level in framework.levels:
        assert level.code in html
    assert "Lớp 6, 7" in html and "Lớp 8, 9" in html
    assert "Thông tư 02/2025/TT-BGDĐT" in html


def test_framework_page_counts_lessons_per_competence(app, client, monkeypatch):
    content = registry(
        lessons=[
            make_lesson("bai-a", competences=("1.1", "4.2")),
            make_lesson("bai-b", competences=("4.2",), audiences=("parent",)),
        ],
        quizzes=[make_quiz("bai-a-quiz"), make_quiz("bai-b-quiz")],
    )
    monkeypatch.setitem(app.extensions, "content", content)
    html = client.get("/learn/framework").get_data(as_text=True)
    block = html.split("<strong>4.2</strong>", 1)[1].split("</li>", 1)[0]
    assert "2 bài học" in block and "học sinh 1 · cán bộ 0 · phụ huynh 1" in block
    assert html.count("Chưa có bài học") == 22


def test_coverage_shows_every_competence_covered_for_students(client):
    response = client.get("/learn/coverage")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mức TC1: 24/24" in html and "Mức TC2: 24/24" in html
    assert "Chưa có bài" not in html


def test_coverage_shows_gaps(app, client, monkeypatch):
    content = registry(lessons=[make_lesson("bai-a", quiz_id=None)], quizzes=[])
    monkeypatch.setitem(app.extensions, "content", content)
    html = client.get("/learn/coverage?audience=student").get_data(as_text=True)
    assert "Mức TC1: 0/24" in html and "không có bài kiểm tra" in html
    assert client.get("/learn/coverage?audience=nobody").status_code == 200


# --- catalogue ---------------------------------------------------------------------------


def test_student_sees_their_grade_band_path_first(client, auth, org, make):
    auth.login(org.student.username)  # grade 6
    html = client.get("/learn/lessons").get_data(as_text=True)
    path = get_content().path("core-tc1")
    assert html.index(path.title) < html.index('id="all-lessons"')
    assert "Học tiếp: " + get_content().lesson(path.lesson_ids[0]).title in html
    older = make.user(Role.STUDENT, org.school, username="hs-lop8")
    make.enrol(older, make.classroom(org.school, name="8A1", grade=8))
    auth.logout()
    auth.login("hs-lop8")
    html = client.get("/learn/lessons").get_data(as_text=True)
    assert get_content().path("core-tc2").title in html
    assert get_content().path("core-tc1").title not in html


@pytest.mark.parametrize(("username", "audience"), [("nv-lan", "staff"), ("ph-mai", "parent")])
def test_staff_and_parents_see_their_own_path_and_lessons(client, auth, org, username, audience):
    auth.login(username)
    html = client.get("/learn/lessons").get_data(as_text=True)
    [path] = get_content().paths_for(audience)
    assert path.title in html
    expected = [x.id for x in get_content().lessons_for(audience)]
    assert catalogue_ids(html) == expected


def test_catalogue_without_paths_file_still_lists_lessons(app, client, auth, org, monkeypatch):
    monkeypatch.setitem(app.extensions, "content", registry(paths=()))
    auth.login(org.student.username)
    html = client.get("/learn/lessons").get_data(as_text=True)
    assert "Lộ trình dành cho bạn" not in html
    assert catalogue_ids(html) == ["bai-a"]


@pytest.mark.parametrize(
    "query",
    [
        {"audience": "parent"},
        {"audience": "", "domain": "4"},
        {"audience": "student", "competence": "1.2"},
        {"audience": "student", "level": "TC2"},
        {"audience": "", "domain": "6", "level": "CB2"},
    ],
)
def test_catalogue_filters(client, auth, org, query):
    auth.login(org.student.username)
    html = client.get("/learn/lessons", query_string=query).get_data(as_text=True)
    filters = {k: v or None for k, v in query.items()}
    expected = [x.id for x in get_content().lessons_for(**filters)]
    assert expected and catalogue_ids(html) == expected
    assert "Lộ trình dành cho bạn" not in html  # the path is for the unfiltered list


def test_catalogue_ignores_an_invalid_filter_with_a_message(client, auth, org):
    auth.login(org.student.username)
    response = client.get("/learn/lessons?audience=student&level=ZZ9")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "không hợp lệ nên đã được bỏ qua" in html
    assert catalogue_ids(html) == [x.id for x in get_content().lessons_for("student")]


def test_catalogue_shows_status_and_best_score(app, client, auth, org, monkeypatch):
    content = registry(
        lessons=[make_lesson("bai-a"), make_lesson("bai-b"), make_lesson("bai-c", quiz_id=None)],
        quizzes=[make_quiz("bai-a-quiz"), make_quiz("bai-b-quiz")],
    )
    monkeypatch.setitem(app.extensions, "content", content)
    uid = org.student.id
    db.session.add_all(
        [
            LessonProgress(user_id=uid, lesson_id="bai-a", status=LessonStatus.COMPLETED),
            LessonProgress(user_id=uid, lesson_id="bai-b", status=LessonStatus.IN_PROGRESS),
            QuizResult(user_id=uid, quiz_id="bai-a-quiz", best_score=86, passed=True),
            QuizResult(user_id=uid, quiz_id="bai-b-quiz", best_score=40, passed=False),
        ]
    )
    db.session.commit()
    auth.login(org.student.username)
    html = client.get("/learn/lessons").get_data(as_text=True)
    items = html.split('class="lesson-item"')[1:]
    assert "Đã xong" in items[0] and "Đã đạt: 86%" in items[0]
    assert "Đang học" in items[1] and "Điểm cao nhất: 40%" in items[1]
    assert "Chưa bắt đầu" in items[2] and "%" not in items[2]


# --- lesson ------------------------------------------------------------------------------


def test_opening_a_lesson_marks_it_in_progress_and_done_completes_it(client, auth, org):
    auth.login(org.student.username)
    lesson_id = "hs-1-1-tim-kiem-thong-tin"
    html = client.get(f"/learn/lessons/{lesson_id}").get_data(as_text=True)
    row = db.session.scalar(sa.select(LessonProgress))
    assert (row.lesson_id, row.status) == (lesson_id, LessonStatus.IN_PROGRESS)
    assert "Đang học" in html and 'data-read-target="#lesson-body"' in html
    assert get_content().lesson(lesson_id).body_html in html
    client.get(f"/learn/lessons/{lesson_id}")  # a second visit adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1

    response = client.post(f"/learn/lessons/{lesson_id}/done")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.status == LessonStatus.COMPLETED and row.completed_at is not None
    db.session.refresh(org.student)
    assert org.student.last_active_at is not None
    html = client.get(f"/learn/lessons/{lesson_id}").get_data(as_text=True)
    assert "Bạn đã đánh dấu bài này là đã học xong." in html


def test_lesson_page_links_previous_and_next(client, auth, org):
    auth.login(org.student.username)
    content = get_content()
    same_kind = [x for x in content.lessons_for("student") if x.kind == "lesson"]
    middle = same_kind[1]
    html = client.get(f"/learn/lessons/{middle.id}").get_data(as_text=True)
    pager = html.split('class="pager"', 1)[1]
    assert f"/learn/lessons/{same_kind[0].id}" in pager
    assert f"/learn/lessons/{same_kind[2].id}" in pager
    first = client.get(f"/learn/lessons/{same_kind[0].id}").get_data(as_text=True)
    assert 'rel="prev"' not in first


def test_mark_done_needs_a_csrf_token(app, org):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        client.post("/login", data={"username": org.student.username,
                                    "password": "correct-horse-battery"})  # fmt: skip
        # (the sign-in itself was refused without a token; sign in the test way instead)
        with client.session_transaction() as session:
            session["_user_id"] = org.student.get_id()
            session["_fresh"] = True
        response = client.post("/learn/lessons/hs-1-1-tim-kiem-thong-tin/done")
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_unknown_lesson_is_404(client, auth, org):
    auth.login(org.student.username)
    assert client.get("/learn/lessons/khong-co").status_code == 404
    assert client.post("/learn/lessons/khong-co/done").status_code == 404


def test_lesson_page_costs_few_queries(client, auth, org):
    auth.login(org.student.username)
    url = "/learn/lessons/hs-1-1-tim-kiem-thong-tin"
    client.get(url)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) <= 3, statements  # the user, the lesson row, the quiz result


# --- walkthroughs ------------------------------------------------------------------------


def test_walkthrough_is_one_step_per_screen(client, auth, org):
    auth.login(org.parent.username)
    walkthrough = next(x for x in get_content().walkthroughs() if any(s.warning for s in x.steps))
    total = len(walkthrough.steps)
    overview = client.get(f"/learn/lessons/{walkthrough.id}").get_data(as_text=True)
    assert f"/learn/walkthroughs/{walkthrough.id}/steps/1" in overview
    for step in walkthrough.steps:
        html = client.get(f"/learn/walkthroughs/{walkthrough.id}/steps/{step.index}").get_data(
            as_text=True
        )
        assert f"Bước {step.index}/{total}" in html and step.title in html
        assert "Bác sẽ thấy" in html and step.see_html in html
        assert ('class="step-warning"' in html) == (step.warning is not None)
        others = [s.title for s in walkthrough.steps if s.title != step.title]
        assert not any(f">{title}</h1>" in html for title in others)
    last = client.get(f"/learn/walkthroughs/{walkthrough.id}/steps/{total}").get_data(as_text=True)
    assert f"/learn/quizzes/{walkthrough.quiz_id}" in last
    assert client.get(f"/learn/walkthroughs/{walkthrough.id}/steps/{total + 1}").status_code == 404
    assert client.get(f"/learn/walkthroughs/{walkthrough.id}/steps/0").status_code == 404
    lesson = get_content().lessons_for("student")[0]
    assert client.get(f"/learn/walkthroughs/{lesson.id}/steps/1").status_code == 404


# --- lesson images -----------------------------------------------------------------------


@pytest.fixture
def image_content(app, tmp_path, monkeypatch):
    images = tmp_path / "lessons" / "hoc-sinh" / "hinh"
    images.mkdir(parents=True)
    (images / "tim-kiem.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (images / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "lessons" / "hoc-sinh" / "bai.md").write_text("---\nid: bai\n---\n")
    (tmp_path / "secret.txt").write_text("do not serve")
    lesson = make_lesson("bai-a", images=("hoc-sinh/hinh/tim-kiem.svg", "hoc-sinh/hinh/anh.png"))
    monkeypatch.setitem(app.extensions, "content", registry(lessons=[lesson], root=tmp_path))


def test_lesson_images_are_served_with_type_and_cache_headers(client, image_content):
    response = client.get("/learn/images/hoc-sinh/hinh/tim-kiem.svg")
    assert response.status_code == 200
    assert response.data.startswith(b"<svg")
    assert response.mimetype == "image/svg+xml"
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response.close()
    with client.get("/learn/images/hoc-sinh/hinh/anh.png") as response:
        assert response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "hoc-sinh/bai.md",  # a file in lessons/ that no lesson shows as an image
        "../secret.txt",
        "hoc-sinh/../../secret.txt",
        "%2e%2e/secret.txt",
        "hoc-sinh/hinh/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/etc/passwd",
        "hoc-sinh/hinh/khong-co.svg",
    ],
)
def test_image_route_serves_nothing_else(client, image_content, path):
    response = client.get(f"/learn/images/{path}", follow_redirects=True)
    assert response.status_code == 404
    assert b"do not serve" not in response.data


# --- my progress -------------------------------------------------------------------------


def test_my_progress_shows_competence_achieved_after_passing(app, client, auth, org, monkeypatch):
    content = registry(
        lessons=[make_lesson("bai-a", competences=("1.1",)),
                 make_lesson("bai-b", competences=("4.2",))],
        quizzes=[make_quiz("bai-a-quiz"), make_quiz("bai-b-quiz")],
    )  # fmt: skip
    monkeypatch.setitem(app.extensions, "content", content)
    auth.login(org.student.username)
    html = client.get("/learn/progress").get_data(as_text=True)
    assert "Bạn đã đạt 0/2 năng lực" in html and "<svg" in html and "<script>" not in html
    submit(client, open_quiz(client, "/learn/quizzes/bai-a-quiz"), RIGHT,
           url="/learn/quizzes/bai-a-quiz")  # fmt: skip
    html = client.get("/learn/progress").get_data(as_text=True)
    assert "Bạn đã đạt 1/2 năng lực" in html
    item = html.split("<strong>1.1</strong>", 1)[1].split("</li>", 1)[0]
    assert "Đã đạt" in item
    other = html.split("<strong>4.2</strong>", 1)[1].split("</li>", 1)[0]
    assert "Chưa đạt" in other
    assert ">1/1</text>" in html  # the domain 1 bar
    assert "Đã xong 1 bài" in html and "đã đạt 1 bài kiểm tra" in html


def test_my_progress_for_a_student_without_class_uses_grade_6(client, auth, make):
    make.user(Role.STUDENT, username="hs-moi")
    auth.login("hs-moi")
    html = client.get("/learn/progress").get_data(as_text=True)
    assert "chưa được xếp lớp" in html and "TC1" in html
