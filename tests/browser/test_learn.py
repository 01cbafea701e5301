"""Learning in Chromium: the student journey from the recommended path to "Tiến độ của tôi",
and the other learning pages, at 360 px and desktop, each scanned with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.content.loader import load_content
from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot

ROOT = Path(__file__).resolve().parents[2]
CONTENT = load_content(ROOT)


def check(page, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def answer_from_the_quiz_file(page, quiz_id: str) -> None:
    """Pick the right answers by reading quizzes/<id>.yaml, as an author would."""
    data = yaml.safe_load((ROOT / "quizzes" / f"{quiz_id}.yaml").read_text(encoding="utf-8"))
    questions = {q["id"]: q for q in data["questions"]}
    shown = page.locator("fieldset.question").evaluate_all("els => els.map(e => e.id)")
    for element_id in shown:
        question = questions[element_id.removeprefix("question-")]
        name = f"q.{question['id']}"
        if question["type"] in ("single_choice", "multiple_choice"):
            for option in question["options"]:
                if option.get("correct"):
                    page.check(f"input[name='{name}'][value='{option['id']}']")
        elif question["type"] == "true_false":
            value = "true" if question["answer"] else "false"
            page.check(f"input[name='{name}'][value='{value}']")
        elif question["type"] == "ordering":
            for position, item in enumerate(question["items"], start=1):
                page.select_option(f"select[name='{name}.{item['id']}']", str(position))


def test_student_passes_a_lesson_of_the_recommended_path(page, live_server):
    login(page, live_server, "demo-student")
    with page.expect_navigation():
        page.click("a.tile:has-text('Bài học')")
    assert "Lộ trình cốt lõi lớp 6–7" in page.locator(".path-card").inner_text()
    check(page, "learn-catalogue")

    with page.expect_navigation():
        page.click(".path-card a.button:has-text('Học tiếp')")
    lesson_id = page.url.rsplit("/", 1)[1]
    lesson = CONTENT.lesson(lesson_id)
    assert page.locator("h1").inner_text() == lesson.title
    check(page, "learn-lesson")

    with page.expect_navigation():
        page.click("a.button:has-text('bài kiểm tra')")
    assert page.url.endswith(f"/learn/quizzes/{lesson.quiz_id}")
    check(page, "learn-quiz")
    answer_from_the_quiz_file(page, lesson.quiz_id)
    screenshot(page, "learn-quiz-answered")
    page.click("button:has-text('Nộp bài')")
    page.wait_for_url(re.compile(r"/learn/attempts/\d+$"))
    assert "Đạt!" in page.locator(".verdict").inner_text()
    assert page.locator(".verdict .score").inner_text() == "100%"
    check(page, "learn-result")

    with page.expect_navigation():
        page.click("a.button:has-text('Xem tiến độ của tôi')")
    assert page.locator("h1").inner_text() == "Tiến độ của tôi"
    achieved = page.locator(".competence-status li.achieved").all_inner_texts()
    assert any(code in text for code in lesson.competences for text in achieved)
    assert page.locator("svg.bar-chart").is_visible()
    check(page, "learn-my-progress")


def test_quiz_with_missing_answers_keeps_the_choices(page, live_server):
    login(page, live_server, "demo-student")
    quiz_id = CONTENT.path_lessons("core-tc1")[-1].quiz_id
    page.goto(f"{live_server}/learn/quizzes/{quiz_id}")
    first = page.locator("fieldset.question input").first
    first.check()
    with page.expect_navigation():
        page.click("button:has-text('Nộp bài')")
    assert "Bài làm chưa nộp được" in page.locator(".error-summary").inner_text()
    assert page.locator("fieldset.question input").first.is_checked()
    check(page, "learn-quiz-errors")


def test_past_attempts_are_listed(page, live_server):
    login(page, live_server, "demo-student")
    quiz_id = CONTENT.path_lessons("core-tc1")[0].quiz_id
    page.goto(f"{live_server}/learn/quizzes/{quiz_id}/attempts")
    assert page.locator(".attempt-list li").count() >= 1
    check(page, "learn-attempts")
    with page.expect_navigation():
        page.click(".attempt-list a.button >> nth=0")
    assert "Xem lại từng câu" in page.content()
    check(page, "learn-attempt-review")


def test_parent_follows_a_walkthrough_alone(page, live_server):
    login(page, live_server, "demo-parent")
    walkthrough = next(x for x in CONTENT.walkthroughs() if x.steps[1].warning)
    page.goto(f"{live_server}/learn/lessons/{walkthrough.id}")
    check(page, "learn-walkthrough-intro")
    with page.expect_navigation():
        page.click("a.button:has-text('Bắt đầu từng bước')")
    assert "Bước 1/" in page.locator(".step-counter").inner_text()
    check(page, "learn-walkthrough-step1")
    with page.expect_navigation():
        page.click("a.button:has-text('Bước tiếp theo')")
    assert page.locator(".step-warning").is_visible()
    check(page, "learn-walkthrough-step2-warning")


def test_catalogue_filters_without_javascript_state(page, live_server):
    login(page, live_server, "demo-parent")
    page.goto(f"{live_server}/learn/lessons")
    check(page, "learn-catalogue-parent")
    page.click("summary:has-text('Tìm bài')")
    page.select_option("select[name=domain]", "4")
    with page.expect_navigation():
        page.click("button:has-text('Lọc')")
    assert "domain=4" in page.url
    check(page, "learn-catalogue-filtered")


def test_framework_and_coverage_pages_are_public(page, live_server):
    page.goto(f"{live_server}/learn/framework")
    assert page.locator(".competences li").count() == 24
    check(page, "learn-framework")
    with page.expect_navigation():
        page.click("a.button:has-text('Bài học theo từng năng lực')")
    assert "24/24" in page.locator(".coverage-summary").inner_text()
    check(page, "learn-coverage")


def test_large_text_lesson(page, live_server):
    login(page, live_server, "demo-student")
    lesson = CONTENT.path_lessons("core-tc1")[0]
    page.goto(f"{live_server}/learn/lessons/{lesson.id}")
    with page.expect_navigation():
        page.click("button:has-text('Chữ to')")
    assert "large-text" in page.locator("html").get_attribute("class")
    check(page, "learn-lesson-large-text")
    with page.expect_navigation():  # back to normal text for the other tests
        page.click("button:has-text('Chữ to')")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
