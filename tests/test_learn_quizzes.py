"""Taking quizzes through the routes: grading per type, one attempt per paper, tampering,
privacy of attempts, and old attempts staying readable after the quiz is edited."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.content.framework import default_framework
from app.content.models import LearningPath, Lesson, MarkdownText, Quiz
from app.content.questions import (
    ChoiceQuestion,
    Item,
    Option,
    OrderingQuestion,
    TrueFalseQuestion,
)
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn import quiz_papers
from app.models import LessonProgress, LessonStatus, QuizAttempt, QuizResult, User

QUIZ_ID = "bai-a-quiz"
QUIZ_URL = f"/learn/quizzes/{QUIZ_ID}"

SINGLE = ChoiceQuestion(
    id="q1", type="single_choice", prompt="Từ khóa nào tốt nhất?",
    explanation="Từ khóa tốt thì ngắn gọn.",
    options=(
        Option("a", "giờ mở cửa thư viện", True, "Đúng: ngắn gọn."),
        Option("b", "cho em hỏi thư viện mở mấy giờ ạ", False, "Câu dài có nhiều từ thừa."),
        Option("c", "thư viện", False, None),
    ),
)  # fmt: skip
MULTIPLE = ChoiceQuestion(
    id="q2", type="multiple_choice", prompt="Dấu hiệu trang đáng tin?",
    options=(
        Option("a", "Có tên tác giả", True, None),
        Option("b", "Tên miền .gov.vn", True, None),
        Option("c", "Quảng cáo nhấp nháy", False, "Quảng cáo không làm trang đáng tin hơn."),
    ),
)  # fmt: skip
TRUE_FALSE = TrueFalseQuestion(
    id="q3", type="true_false", prompt="Kết quả đầu tiên luôn đúng nhất.", answer=False,
    feedback_true="Chưa đúng: có thể là quảng cáo.", feedback_false="Đúng vậy.",
    explanation="Thứ tự không bảo đảm độ chính xác.",
)  # fmt: skip
ORDERING = OrderingQuestion(
    id="q4", type="ordering", prompt="Sắp xếp các bước tìm kiếm.",
    items=(Item("x", "Xác định điều cần tìm"), Item("y", "Chọn từ khóa"),
           Item("z", "So sánh nguồn")),
)  # fmt: skip

RIGHT = {"q.q1": ["a"], "q.q2": ["a", "b"], "q.q3": ["false"], "q.q4.x": "1", "q.q4.y": "2",
         "q.q4.z": "3"}  # fmt: skip
WRONG = {
    "single_choice": {"q.q1": ["b"]},
    "multiple_choice": {"q.q2": ["a"]},  # one right option missing
    "true_false": {"q.q3": ["true"]},
    "ordering": {"q.q4.x": "2", "q.q4.y": "1"},
}


def make_lesson(lesson_id: str, **fields) -> Lesson:
    values = dict(
        id=lesson_id, kind="lesson", title=f"Bài {lesson_id}", summary="Tóm tắt.",
        competences=("1.1",), levels=("TC1",), audiences=("student",), minutes=10,
        prerequisites=(), quiz_id=f"{lesson_id}-quiz", task_id=None, key_steps=(),
        source_path=Path(f"/x/{lesson_id}.md"), relative_path=f"lessons/{lesson_id}.md",
        content_hash="0", body=MarkdownText("Nội dung bài.", "/learn/images", ""), intro=None,
        steps=(), images=(),
    )  # fmt: skip
    values.update(fields)
    return Lesson(**values)


def make_quiz(quiz_id: str = QUIZ_ID, questions=(SINGLE, MULTIPLE, TRUE_FALSE, ORDERING),
              **fields) -> Quiz:  # fmt: skip
    values = dict(
        id=quiz_id, title="Kiểm tra: bài A", competences=("1.1",), pass_mark=75,
        shuffle_options=True, draw_count=None, questions=tuple(questions), version="v1",
        relative_path=f"quizzes/{quiz_id}.yaml",
    )  # fmt: skip
    values.update(fields)
    return Quiz(**values)


def registry(lessons=None, quizzes=None, paths=(), root=Path("/x")) -> ContentRegistry:
    return ContentRegistry(
        root=root,
        framework=default_framework(),
        lessons=lessons if lessons is not None else [make_lesson("bai-a")],
        quizzes=quizzes if quizzes is not None else [make_quiz()],
        paths=paths,
    )


@pytest.fixture
def content(app, monkeypatch):
    """Swap the app's content for a small known set; returns a setter for edits."""
    current = registry(paths=[LearningPath("core-tc1", "Lộ trình A", "TC1", "student", ("bai-a",))])
    monkeypatch.setitem(app.extensions, "content", current)

    def use(new: ContentRegistry) -> ContentRegistry:
        monkeypatch.setitem(app.extensions, "content", new)
        return new

    use.current = current
    return use


def paper_of(html: str) -> str:
    match = re.search(r'name="paper" type="hidden" value="([^"]+)"', html) or re.search(
        r'type="hidden" name="paper" value="([^"]+)"', html
    )
    assert match, "the quiz form carries a signed paper"
    return match.group(1)


def open_quiz(client, url: str = QUIZ_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return paper_of(response.get_data(as_text=True))


def submit(client, paper: str, answers: dict, url: str = QUIZ_URL):
    return client.post(url, data={"paper": paper, **answers})


def attempts_of(user: User) -> list[QuizAttempt]:
    return list(db.session.scalars(sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id)))


@pytest.fixture
def student(org, auth):
    auth.login(org.student.username)
    return org.student


# --- showing the quiz ---------------------------------------------------------------------


def test_quiz_page_never_contains_the_answers(client, content, student):
    html = client.get(QUIZ_URL).get_data(as_text=True)
    assert "Từ khóa nào tốt nhất?" in html and "So sánh nguồn" in html
    for secret in ("correct", "Đúng: ngắn gọn.", "Từ khóa tốt thì ngắn gọn.", "Đúng vậy.",
                   "Quảng cáo không làm trang"):  # fmt: skip
        assert secret not in html


def test_ordering_items_are_shown_out_of_order_with_a_position_select(client, content, student):
    html = client.get(QUIZ_URL).get_data(as_text=True)
    shown = re.findall(r'name="q\.q4\.(\w)"', html)
    assert sorted(shown) == ["x", "y", "z"] and shown != ["x", "y", "z"]
    assert '<option value="3"' in html


def test_draw_asks_only_n_questions_and_grades_those(client, content, student):
    content(registry(quizzes=[make_quiz(draw_count=2)]))
    html = client.get(QUIZ_URL).get_data(as_text=True)
    drawn = set(re.findall(r'id="question-(q\d)"', html))
    assert len(drawn) == 2
    answers = {k: v for k, v in RIGHT.items() if k.split(".")[1] in drawn}
    assert submit(client, paper_of(html), answers).status_code == 302
    [attempt] = attempts_of(student)
    assert set(attempt.details["questions"]) == drawn
    assert attempt.score == 100


# --- grading --------------------------------------------------------------------------------


def test_all_right_passes_and_updates_progress_in_one_go(client, content, student):
    response = submit(client, open_quiz(client), RIGHT)
    assert response.status_code == 302
    [attempt] = attempts_of(student)
    assert response.headers["Location"].endswith(f"/learn/attempts/{attempt.id}")
    assert (attempt.score, attempt.passed, attempt.quiz_version) == (100, True, "v1")
    assert attempt.details["questions"] == ["q1", "q2", "q3", "q4"]
    assert attempt.details["answers"]["q4"] == ["x", "y", "z"]
    assert attempt.details["correct"] == {"q1": True, "q2": True, "q3": True, "q4": True}
    result = db.session.scalar(sa.select(QuizResult).where(QuizResult.user_id == student.id))
    assert (result.best_score, result.passed, result.attempt_count, result.failed_count) == (
        100, True, 1, 0,
    )  # fmt: skip
    assert result.passed_at is not None
    progress = db.session.scalar(
        sa.select(LessonProgress).where(LessonProgress.user_id == student.id)
    )
    assert progress.status == LessonStatus.COMPLETED  # passing the quiz completes its lesson
    db.session.refresh(student)
    assert student.last_active_at is not None


@pytest.mark.parametrize("wrong_type", list(WRONG))
def test_each_question_type_is_graded_on_the_server(client, content, student, wrong_type):
    answers = {**RIGHT, **WRONG[wrong_type]}
    submit(client, open_quiz(client), answers)
    [attempt] = attempts_of(student)
    wrong_id = {"single_choice": "q1", "multiple_choice": "q2", "true_false": "q3",
                "ordering": "q4"}[wrong_type]  # fmt: skip
    assert [qid for qid, ok in attempt.details["correct"].items() if not ok] == [wrong_id]
    assert attempt.score == 75 and attempt.passed  # 3 of 4 reaches the 75% pass mark


def test_a_fail_then_a_pass_keeps_the_best_score_and_counts(client, content, student):
    failing = {**RIGHT, **WRONG["single_choice"], **WRONG["true_false"]}
    submit(client, open_quiz(client), failing)
    result = db.session.scalar(sa.select(QuizResult).where(QuizResult.user_id == student.id))
    assert (result.best_score, result.passed, result.failed_count) == (50, False, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 0
    submit(client, open_quiz(client), RIGHT)
    submit(client, open_quiz(client), failing)
    db.session.refresh(result)
    assert (result.best_score, result.passed) == (100, True)
    assert (result.attempt_count, result.failed_count) == (3, 2)


def test_result_page_shows_score_explanations_and_feedback(client, content, student):
    answers = {**RIGHT, **WRONG["single_choice"], **WRONG["true_false"]}
    response = submit(client, open_quiz(client), answers)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "50%" in html and "Chưa đạt" in html
    assert "Câu dài có nhiều từ thừa." in html  # feedback on the option chosen
    assert "Chưa đúng: có thể là quảng cáo." in html  # true/false feedback
    assert "Từ khóa tốt thì ngắn gọn." in html  # explanation
    assert "Đáp án đúng" in html and "giờ mở cửa thư viện" in html
    assert f'href="{QUIZ_URL}"' in html  # retake


# --- one attempt per paper ------------------------------------------------------------------


def test_double_submit_records_one_attempt(client, content, student):
    paper = open_quiz(client)
    first = submit(client, paper, RIGHT)
    second = submit(client, paper, RIGHT)  # double click, second tab, or back + resend
    assert first.headers["Location"] == second.headers["Location"]
    assert len(attempts_of(student)) == 1
    result = db.session.scalar(sa.select(QuizResult).where(QuizResult.user_id == student.id))
    assert result.attempt_count == 1


def test_replay_with_different_answers_changes_nothing(client, content, student):
    paper = open_quiz(client)
    submit(client, paper, {**RIGHT, **WRONG["ordering"], **WRONG["single_choice"]})
    submit(client, paper, RIGHT)
    [attempt] = attempts_of(student)
    assert attempt.score == 50


@pytest.mark.skipif(
    "sqlite" in __import__("os").environ.get("TEST_DATABASE_URL", "sqlite"),
    reason="needs a database with real concurrent connections (PostgreSQL)",
)
def test_two_concurrent_submissions_of_one_paper_record_one_attempt(app, content, org):
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        c.post("/login", data={"username": org.student.username,
                               "password": "correct-horse-battery"})  # fmt: skip
    paper = open_quiz(clients[0])
    barrier = threading.Barrier(2)
    statuses = []

    def post(c):
        with app.app_context():
            barrier.wait()
            statuses.append(submit(c, paper, RIGHT).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    db.session.expire_all()
    assert len(attempts_of(org.student)) == 1
    result = db.session.scalar(sa.select(QuizResult).where(QuizResult.user_id == org.student.id))
    assert result.attempt_count == 1


# --- bad input ------------------------------------------------------------------------------


def test_missing_answers_are_named_and_choices_kept(client, content, student):
    answers = {k: v for k, v in RIGHT.items() if not k.startswith(("q.q2", "q.q3"))}
    response = submit(client, open_quiz(client), answers)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Câu 2: bạn chưa trả lời." in html and "Câu 3: bạn chưa trả lời." in html
    assert re.search(r'value="a" checked', html)  # q1's choice is still selected
    assert attempts_of(student) == []


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"q.q1": ["zz"]}, "Câu 1: câu trả lời không có trong câu hỏi."),
        ({"q.q1": ["a", "b"]}, "Câu 1: câu trả lời không có trong câu hỏi."),
        ({"q.q2": ["a", "a"]}, "Câu 2: câu trả lời không có trong câu hỏi."),
        ({"q.q3": ["maybe"]}, "Câu 3: câu trả lời không có trong câu hỏi."),
        ({"q.q4.x": "1", "q.q4.y": "1"}, "Câu 4: mỗi số thứ tự chỉ dùng cho một mục."),
        ({"q.q4.x": "9"}, "Câu 4: hãy chọn một số thứ tự từ 1 đến 3 cho từng mục."),
        ({"q.q9": ["a"]}, "câu hỏi không có trong đề này"),
        ({"q.q4.w": "2"}, "câu hỏi không có trong đề này"),
    ],
)
def test_tampered_answers_are_refused_with_a_message(client, content, student, tampered, message):
    response = submit(client, open_quiz(client), {**RIGHT, **tampered})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert attempts_of(student) == []


def test_an_ordering_item_without_position_is_refused(client, content, student):
    answers = {k: v for k, v in RIGHT.items() if k != "q.q4.z"}
    response = submit(client, open_quiz(client), answers)
    assert response.status_code == 400
    assert "Câu 4: hãy chọn một số thứ tự từ 1 đến 3" in response.get_data(as_text=True)


@pytest.mark.parametrize("paper", ["", "not-a-paper", "eyJxdWl6IjoiYmFpLWEtcXVpeiJ9.AAAA.BBBB"])
def test_forged_or_missing_paper_is_refused(client, content, student, paper):
    response = submit(client, paper, RIGHT)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Chưa nộp được bài" in html and "Mở lại bài kiểm tra" in html
    assert attempts_of(student) == []


def test_a_paper_issued_to_another_learner_is_refused(app, client, content, org, auth):
    other = app.test_client()
    other.post("/login", data={"username": org.classmate.username,
                               "password": "correct-horse-battery"})  # fmt: skip
    their_paper = open_quiz(other)
    auth.login(org.student.username)
    response = submit(client, their_paper, RIGHT)
    assert response.status_code == 400
    assert "không phải của bạn" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 0


def test_a_paper_for_another_quiz_is_refused(client, content, student):
    content(registry(quizzes=[make_quiz(), make_quiz("bai-b-quiz")]))
    paper = open_quiz(client, "/learn/quizzes/bai-b-quiz")
    response = submit(client, paper, RIGHT)
    assert response.status_code == 400


def test_an_expired_paper_gets_a_fresh_one(client, content, student, monkeypatch):
    paper = open_quiz(client)
    monkeypatch.setattr(quiz_papers, "PAPER_MAX_AGE", -1)
    response = submit(client, paper, RIGHT)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Đây là phiếu mới" in html and paper_of(html) != paper
    assert attempts_of(student) == []


def test_a_paper_drawn_before_the_quiz_changed_gets_a_fresh_one(client, content, student):
    paper = open_quiz(client)
    content(registry(quizzes=[make_quiz(version="v2")]))
    response = submit(client, paper, RIGHT)
    assert response.status_code == 409
    assert "Bài kiểm tra vừa được cập nhật" in response.get_data(as_text=True)
    assert attempts_of(student) == []


def test_unknown_quiz_is_404(client, content, student):
    assert client.get("/learn/quizzes/khong-co").status_code == 404
    assert client.post("/learn/quizzes/khong-co", data=RIGHT).status_code == 404


# --- privacy and history ------------------------------------------------------------------


def test_a_learner_cannot_open_another_learners_attempt(app, client, content, org, auth):
    auth.login(org.student.username)
    location = submit(client, open_quiz(client), RIGHT).headers["Location"]
    other = app.test_client()
    other.post("/login", data={"username": org.classmate.username,
                               "password": "correct-horse-battery"})  # fmt: skip
    assert other.get(location).status_code == 404
    listing = other.get(f"{QUIZ_URL}/attempts").get_data(as_text=True)
    assert location not in listing and "chưa làm bài kiểm tra này" in listing
    assert client.get(location).status_code == 200


def test_past_attempts_are_listed_newest_first_and_reviewable(client, content, student):
    first = submit(client, open_quiz(client), {**RIGHT, **WRONG["single_choice"]})
    second = submit(client, open_quiz(client), RIGHT)
    html = client.get(f"{QUIZ_URL}/attempts").get_data(as_text=True)
    first_link, second_link = first.headers["Location"], second.headers["Location"]
    assert html.index(second_link) < html.index(first_link)
    assert "100%" in html and "75%" in html
    assert client.get(first_link).status_code == 200


def test_an_attempt_stays_readable_after_the_quiz_is_edited(client, content, student):
    location = submit(client, open_quiz(client), {**RIGHT, **WRONG["ordering"]}).headers["Location"]
    edited_single = replace(SINGLE, prompt="Câu hỏi đã sửa?", options=SINGLE.options[:2])
    content(
        registry(quizzes=[make_quiz(questions=(edited_single, MULTIPLE, TRUE_FALSE), version="v2")])
    )
    response = client.get(location)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bài kiểm tra đã được sửa sau lần làm này" in html
    assert "Từ khóa nào tốt nhất?" in html  # the question as it was asked
    assert "Sắp xếp các bước tìm kiếm." in html  # a question since removed
    assert "So sánh nguồn" in html
    assert "75%" in html


def test_an_attempt_without_snapshot_is_shown_from_what_still_exists(client, content, student):
    location = submit(client, open_quiz(client), RIGHT).headers["Location"]
    [attempt] = attempts_of(student)
    details = dict(attempt.details)
    details.pop("snapshot")
    attempt.details = details
    db.session.commit()
    content(registry(quizzes=[make_quiz(questions=(SINGLE, TRUE_FALSE), version="v2")]))
    html = client.get(location).get_data(as_text=True)
    assert "Từ khóa nào tốt nhất?" in html  # from the current quiz
    assert "Câu hỏi này đã được bỏ khỏi bài kiểm tra" in html  # q2 and q4 are gone


def test_attempts_of_a_removed_quiz_are_still_listed(client, content, student):
    submit(client, open_quiz(client), RIGHT)
    content(registry(lessons=[], quizzes=[]))
    response = client.get(f"{QUIZ_URL}/attempts")
    assert response.status_code == 200 and "100%" in response.get_data(as_text=True)
