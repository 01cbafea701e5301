"""The two-person session through the browser's eyes: each screen, each refusal."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.demo.guided import correct_values
from app.extensions import db
from app.guided import content, review
from app.models import GuidedSession, SessionStatus, SessionStep, StepOutcome
from tests.guided_support import WALKTHROUGH, record_all, register, run_session, start


@pytest.fixture
def grandmother(app, org):
    with app.test_request_context():
        return register(org.student).relative


@pytest.fixture
def student(client, auth, org):
    auth.login("hs-an")
    return client


def _version(html: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)


def _session() -> GuidedSession:
    db.session.expire_all()
    return db.session.scalar(sa.select(GuidedSession))


def test_start_a_session_and_see_the_first_step_in_two_person_mode(student, grandmother):
    page = student.get(f"/guided/sessions/new?relative={grandmother.id}")
    assert "Gọi video cho người thân qua Zalo" in page.get_data(as_text=True)
    response = student.post(
        "/guided/sessions/new", data={"relative": grandmother.id, "walkthrough": WALKTHROUGH}
    )
    session = _session()
    assert response.headers["Location"].endswith(f"/guided/sessions/{session.id}/steps/1")
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bước 1 / 9" in html and "Mở ứng dụng Zalo" in html
    assert "Bác sẽ thấy" in html and "Nếu màn hình khác" in html
    assert 'class="read-aloud' in html and 'data-read-target="#step-read"' in html
    assert "Bác tự làm được" in html and "Cần giúp" in html and "Bỏ qua" in html
    assert "danger-banner" in html and "Mã bí mật" in html  # step 1 has a [!CODE] warning
    assert response.status_code == 302


def test_key_steps_and_steps_without_warning_are_shown_as_such(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    for n in (1, 2, 3):
        student.post(f"/guided/sessions/{session.id}/steps/{n}", data={"outcome": "self"})
    html = student.get(f"/guided/sessions/{session.id}/steps/4").get_data(as_text=True)
    assert "Bước quan trọng: bác cần tự làm" in html
    assert "danger-banner" not in html


def test_each_step_is_saved_at_once_and_a_reopened_browser_resumes(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    page = student.get(f"/guided/sessions/{session.id}/steps/1").get_data(as_text=True)
    response = student.post(
        f"/guided/sessions/{session.id}/steps/1",
        data={"outcome": "helped", "version": _version(page)},
    )
    assert response.headers["Location"].endswith(f"/sessions/{session.id}/steps/2")
    assert db.session.scalar(sa.select(SessionStep.outcome)) == StepOutcome.HELPED
    # A new phone (new client), same student: the session resumes at step 2.
    other_phone = student.application.test_client()
    other_phone.post("/login", data={"username": "hs-an", "password": "correct-horse-battery"})
    response = other_phone.get(f"/guided/sessions/{session.id}")
    assert response.headers["Location"].endswith(f"/sessions/{session.id}/steps/2")


def test_a_whole_session_by_http_reaches_passed(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    lesson = content.walkthrough(WALKTHROUGH)
    for step in lesson.steps:
        page = student.get(f"/guided/sessions/{session.id}").headers["Location"]
        assert page.endswith(f"/steps/{step.index}")
        html = student.get(page).get_data(as_text=True)
        student.post(page, data={"outcome": "self", "version": _version(html)})
    handover = student.get(f"/guided/sessions/{session.id}").headers["Location"]
    assert handover.endswith("/handover")
    html = student.get(handover).get_data(as_text=True)
    assert "Đưa điện thoại cho bác" in html and "Bác tự làm được: 9 bước" in html
    student.post(f"/guided/sessions/{session.id}/check/start", data={"version": _version(html)})
    quiz = content.check_quiz(lesson)
    for number in range(1, 5):
        html = student.get(f"/guided/sessions/{session.id}/check").get_data(as_text=True)
        assert f"Câu {number} / 4" in html
        question = next(q for q in quiz.questions if q.prompt in html.replace("&#39;", "'"))
        response = student.post(
            f"/guided/sessions/{session.id}/check/{number}",
            data={"answer": correct_values(question), "version": _version(html)},
        )
        feedback = student.get(response.headers["Location"]).get_data(as_text=True)
        assert "Đúng rồi ạ!" in feedback
    html = student.get(f"/guided/sessions/{session.id}/result").get_data(as_text=True)
    assert "Chúc mừng bác!" in html and "chờ thầy cô xác nhận" in html
    assert _session().status == SessionStatus.PASSED


def test_handover_warns_about_key_steps_not_done_alone(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    for n in range(1, 10):
        outcome = "helped" if n == 4 else "self"
        student.post(f"/guided/sessions/{session.id}/steps/{n}", data={"outcome": outcome})
    html = student.get(f"/guided/sessions/{session.id}/handover").get_data(as_text=True)
    assert "Bước quan trọng bác chưa tự làm" in html
    assert f"/guided/sessions/{session.id}/steps/4" in html


def test_not_yet_shows_what_to_practise(student, grandmother, org):
    with student.application.test_request_context():
        session = run_session(org.student, grandmother.id, outcomes={7: StepOutcome.SKIPPED})
    html = student.get(f"/guided/sessions/{session.id}/result").get_data(as_text=True)
    assert "Bác chưa đạt lần này" in html
    assert "Bước 7: Kết thúc cuộc gọi" in html
    assert f"relative={grandmother.id}" in html and f"walkthrough={WALKTHROUGH}" in html


def test_a_question_without_an_answer_asks_again(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
        record_all(session)
    student.post(f"/guided/sessions/{session.id}/check/start", data={})
    response = student.post(f"/guided/sessions/{session.id}/check/1", data={})
    assert response.headers["Location"].endswith(f"/sessions/{session.id}/check")
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bác chưa chọn câu trả lời" in html and "Câu 1 / 4" in html
    response = student.post(f"/guided/sessions/{session.id}/check/1", data={"answer": "zzz"})
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "không hợp lệ" in html
    assert _session().check_details["answers"] == {}


def test_two_tabs_the_stale_one_is_refused_with_a_message_and_nothing_is_lost(
    student, grandmother, org
):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    tab_a = student.get(f"/guided/sessions/{session.id}/steps/1").get_data(as_text=True)
    tab_b = student.get(f"/guided/sessions/{session.id}/steps/1").get_data(as_text=True)
    student.post(
        f"/guided/sessions/{session.id}/steps/1",
        data={"outcome": "self", "version": _version(tab_a)},
    )
    response = student.post(
        f"/guided/sessions/{session.id}/steps/1",
        data={"outcome": "skipped", "version": _version(tab_b)},
    )
    assert response.headers["Location"].endswith(f"/sessions/{session.id}/steps/2")
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "vừa được cập nhật ở một cửa sổ hoặc điện thoại khác" in html
    assert db.session.scalar(sa.select(SessionStep.outcome)) == StepOutcome.SELF


def test_a_double_tap_records_one_step_without_complaint(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    html = student.get(f"/guided/sessions/{session.id}/steps/1").get_data(as_text=True)
    data = {"outcome": "self", "version": _version(html)}
    student.post(f"/guided/sessions/{session.id}/steps/1", data=data)
    response = student.post(f"/guided/sessions/{session.id}/steps/1", data=data)
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "vừa được cập nhật" not in html and "Bước 2 / 9" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionStep)) == 1


def test_a_step_posted_to_a_closed_session_is_refused_clearly(student, grandmother, org):
    with student.application.test_request_context():
        session = run_session(org.student, grandmother.id)
    response = student.post(f"/guided/sessions/{session.id}/steps/3", data={"outcome": "skipped"})
    assert response.headers["Location"].endswith(f"/sessions/{session.id}/result")
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "đã kết thúc" in html
    assert {s.outcome for s in _session().steps} == {StepOutcome.SELF}


def test_another_students_session_is_not_found(client, auth, org, grandmother):
    with client.application.test_request_context():
        session = start(org.student, grandmother.id)
    auth.login("hs-chi")
    for url in (
        f"/guided/sessions/{session.id}",
        f"/guided/sessions/{session.id}/steps/1",
        f"/guided/sessions/{session.id}/handover",
        f"/guided/sessions/{session.id}/check",
        f"/guided/sessions/{session.id}/result",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/guided/sessions/{session.id}/steps/1", data={"outcome": "self"})
    assert response.status_code == 404
    assert client.post(f"/guided/sessions/{session.id}/abandon", data={}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionStep)) == 0
    page = client.post(
        "/guided/sessions/new", data={"relative": grandmother.id, "walkthrough": WALKTHROUGH}
    )
    assert page.status_code == 302 and page.headers["Location"].endswith("/guided/relatives/new")


def test_a_tampered_outcome_is_refused(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    response = student.post(f"/guided/sessions/{session.id}/steps/1", data={"outcome": "cheat"})
    html = student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lựa chọn không hợp lệ" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionStep)) == 0


def test_abandon_asks_first_then_closes(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    assert "Dừng buổi hướng dẫn?" in student.get(f"/guided/sessions/{session.id}/abandon").get_data(
        as_text=True
    )
    response = student.post(f"/guided/sessions/{session.id}/abandon", data={})
    assert response.headers["Location"].endswith(f"/guided/relatives/{grandmother.id}")
    assert _session().status == SessionStatus.ABANDONED


def test_session_pages_are_never_cached(student, grandmother, org):
    with student.application.test_request_context():
        session = start(org.student, grandmother.id)
    response = student.get(f"/guided/sessions/{session.id}/steps/1")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_students_page_shows_relatives_helped_and_what_each_can_do(student, grandmother, org):
    with student.application.test_request_context():
        session = run_session(org.student, grandmother.id)
    html = student.get("/guided/").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Gọi video cho người thân qua Zalo" in html
    assert "chờ xác nhận" in html
    with student.application.test_request_context():
        review.confirm(session, org.teacher, None, session.version)
    html = student.get("/guided/").get_data(as_text=True)
    assert "chờ xác nhận" not in html
    assert re.search(r'class="big-number">1<', html)
