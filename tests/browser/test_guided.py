"""A guided session in Chromium: demo-student registers a relative and runs a real
walkthrough on one phone (every step, the hand-over, the check questions answered by
reading the quiz file) until "passed"; then demo-teacher confirms it in the queue.
Each screen is screenshotted at 360 px and 1280 px and scanned with axe-core."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.content.loader import load_content
from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot

ROOT = Path(__file__).resolve().parents[2]
CONTENT = load_content(ROOT)

# One journey per width, each with its own relative and walkthrough.
JOURNEYS = {
    "mobile": ("Trần Văn Bảy", "1951", "ông ngoại", "nt-nhan-biet-lua-dao"),
    "desktop": ("Lê Thị Mận", "1963", "bác", "nt-kiem-chung-thong-tin"),
}


def check(page, name: str) -> None:
    screenshot(page, f"guided-{name}")
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def question_on_screen(page, quiz_id: str) -> dict:
    """The question shown, found by its prompt in quizzes/<id>.yaml."""
    data = yaml.safe_load((ROOT / "quizzes" / f"{quiz_id}.yaml").read_text(encoding="utf-8"))
    prompt = " ".join(page.locator("h1").inner_text().split())
    return next(q for q in data["questions"] if " ".join(q["prompt"].split()) == prompt)


def answer_from_the_quiz_file(page, question: dict) -> None:
    """Tap the answer the quiz file marks right."""
    if question["type"] == "true_false":
        label = "Đúng" if question["answer"] else "Sai"
    else:
        label = next(o["text"] for o in question["options"] if o.get("correct"))
    page.get_by_role("button", name=label, exact=True).click()


def test_a_student_guides_a_relative_and_the_teacher_confirms(page, live_server):
    name, birth_year, relation, walkthrough_id = JOURNEYS[page.width_name]
    lesson = CONTENT.lesson(walkthrough_id)
    login(page, live_server, "demo-student")

    page.goto(f"{live_server}/guided/")
    assert "Nguyễn Thị Lan" in page.content()  # the demo grandmother
    check(page, "relatives")

    page.click("a.button:has-text('Thêm người thân')")
    page.fill("input[name=full_name]", name)
    page.select_option("select[name=relation]", relation)
    page.fill("input[name=birth_year]", birth_year)
    page.fill("input[name=phone]", "0912 345 678")
    page.check("input[name=consent]")
    page.check("input[name=parent_informed]")
    check(page, "relative-form")
    page.click("button[type=submit]:has-text('Lưu')")
    assert page.locator("h1").inner_text() == name
    assert "0912345678" in page.content()
    check(page, "relative-detail")

    page.click("a.button:has-text('Bắt đầu buổi hướng dẫn')")
    page.check(f"input[name=walkthrough][value='{walkthrough_id}']")
    check(page, "start")
    page.click("button[type=submit]:has-text('Bắt đầu buổi hướng dẫn')")

    warned = False
    for step in lesson.steps:
        total = len(lesson.steps)
        assert page.locator(".session-top strong").inner_text() == f"Bước {step.index} / {total}"
        assert page.locator("h1").inner_text() == step.title
        assert page.locator(".see-box").is_visible()
        assert page.locator(".danger-banner").count() == (1 if step.warning else 0)
        if step.index == 1:
            check(page, "step")
        elif step.warning and not warned:
            warned = True
            check(page, "step-warning")
        elif step.is_key and step.index == lesson.key_steps[0]:
            check(page, "step-key")
        page.click("button[name=outcome][value=self]")

    assert page.locator("h1").inner_text() == "Đưa điện thoại cho bác"
    check(page, "handover")
    page.click("button:has-text('bắt đầu câu hỏi')")

    quiz = CONTENT.quiz(lesson.quiz_id)
    shown_types = set()
    for number in range(1, len(quiz.questions) + 1):
        assert f"Câu {number} / {len(quiz.questions)}" in page.locator(".session-top").inner_text()
        question = question_on_screen(page, lesson.quiz_id)
        if question["type"] not in shown_types:
            shown_types.add(question["type"])
            check(page, f"question-{question['type']}")
        answer_from_the_quiz_file(page, question)
        assert page.locator(".verdict").inner_text() == "Đúng rồi ạ!"
        if number == 1:
            check(page, "feedback")
        page.click("a.button.primary")

    assert page.locator("h1").inner_text() == "Chúc mừng bác!"
    assert "chờ thầy cô xác nhận" in page.content()
    check(page, "passed")

    page.click("summary:has-text('Menu')")
    page.click("button:has-text('Đăng xuất')")
    login(page, live_server, "demo-teacher")
    page.goto(f"{live_server}/guided/review")
    card = page.locator("section.review-card", has_text=name)
    assert card.count() == 1
    assert page.locator("section.review-card", has_text="Nguyễn Thị Lan").count() >= 1
    card.locator("summary:has-text('Xem từng bước')").click()
    assert card.locator(".timeline li").count() == len(lesson.steps)
    check(page, "review-queue")
    card.locator("button[type=submit]:has-text('Xác nhận')").click()
    assert f"Đã xác nhận: {name}" in page.locator(".flash").inner_text()
    assert page.locator("section.review-card", has_text=name).count() == 0
    check(page, "review-confirmed")

    page.goto(f"{live_server}/guided/classes/relatives")
    assert name in page.content()
    check(page, "class-relatives")


CLAIMS = {
    "mobile": ("Hoàng Thị Nụ", "1958", "ba.nu1958"),
    "desktop": ("Đỗ Văn Sáu", "1949", "ong.sau1949"),
}


def test_a_relative_claims_an_account_with_the_code_from_the_students_screen(page, live_server):
    name, birth_year, username = CLAIMS[page.width_name]
    login(page, live_server, "demo-student")
    page.goto(f"{live_server}/guided/relatives/new")
    page.fill("input[name=full_name]", name)
    page.select_option("select[name=relation]", "bà ngoại")
    page.fill("input[name=birth_year]", birth_year)
    page.check("input[name=consent]")
    page.check("input[name=parent_informed]")
    page.click("button[type=submit]:has-text('Lưu')")
    page.click("button:has-text('Tạo mã nhận tài khoản')")
    code = page.locator(".claim-code").inner_text()
    check(page, "claim-code")
    page.click("summary:has-text('Menu')")
    page.click("button:has-text('Đăng xuất')")

    page.goto(f"{live_server}/guided/claim")
    page.fill("input[name=code]", "0000-0000-0000")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "mat-khau-cua-ba")
    page.fill("input[name=confirm]", "mat-khau-cua-ba")
    page.click("button[type=submit]:has-text('Tạo tài khoản')")
    assert "Mã không đúng" in page.locator(".error").inner_text()
    check(page, "claim")
    page.fill("input[name=code]", code)
    page.fill("input[name=password]", "mat-khau-cua-ba")
    page.fill("input[name=confirm]", "mat-khau-cua-ba")
    page.click("button[type=submit]:has-text('Tạo tài khoản')")
    assert page.url.endswith("/family/")
    assert page.locator("h1").inner_text() == f"Chào {name}!"
    assert "Bùi Minh Phúc" in page.content()  # demo-student, who registered her
    check(page, "claimed-home")


def test_the_parent_home(page, live_server):
    login(page, live_server, "demo-parent")
    assert "Con, cháu của bạn" in page.content()
    check(page, "family-home")


SIBLINGS = {"mobile": "dq-6a1-05", "desktop": "dq-6a1-06"}


def sign_out(page) -> None:
    page.click("summary:has-text('Menu')")
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_load_state()


def test_the_same_grandmother_is_recognised_and_a_not_yet_session_says_what_to_practise(
    page, live_server
):
    """A classmate registers the demo grandmother again (the match screen), then a session
    where bác needed help with every step ends "not yet" with the steps to practise."""
    login(page, live_server, SIBLINGS[page.width_name])
    page.goto(f"{live_server}/guided/relatives/new")
    page.fill("input[name=full_name]", "nguyen thi  LAN")
    page.select_option("select[name=relation]", "bà ngoại")
    page.fill("input[name=birth_year]", "1956")
    page.check("input[name=consent]")
    page.check("input[name=parent_informed]")
    page.click("button[type=submit]:has-text('Lưu')")
    assert page.locator("h1").inner_text() == "Có phải cùng một người?"
    check(page, "relative-match")
    page.click("button:has-text('Đúng, là cùng một người')")
    assert "Đang chờ gia đình hoặc thầy cô đồng ý" in page.content()
    assert page.locator(".relative-card").count() == 0  # nothing of her until approved
    check(page, "link-request-sent")
    sign_out(page)
    login(page, live_server, "demo-student")  # who registered her approves
    page.goto(f"{live_server}/guided/")
    check(page, "link-request-to-decide")
    page.locator(".link-request").first.locator("button:has-text('Đồng ý')").click()
    page.wait_for_load_state()
    sign_out(page)
    login(page, live_server, SIBLINGS[page.width_name])
    page.goto(f"{live_server}/guided/")
    page.click("a.button:has-text('Xem chi tiết')")
    assert page.locator("h1").inner_text() == "Nguyễn Thị Lan"

    lesson = CONTENT.lesson("nt-tro-ly-ai")
    page.click("a.button:has-text('Bắt đầu buổi hướng dẫn')")
    page.check("input[name=walkthrough][value='nt-tro-ly-ai']")
    page.click("button[type=submit]:has-text('Bắt đầu buổi hướng dẫn')")
    page.click("button[name=outcome][value=helped]")
    page.click("a:has-text('Dừng buổi này')")
    check(page, "abandon-confirm")
    page.click("a.button:has-text('Không, làm tiếp')")
    assert page.locator(".session-top strong").inner_text() == f"Bước 2 / {len(lesson.steps)}"
    for _ in lesson.steps[1:]:
        page.click("button[name=outcome][value=helped]")
    assert "Bước quan trọng bác chưa tự làm" in page.content()
    page.click("button:has-text('bắt đầu câu hỏi')")
    for _ in CONTENT.quiz(lesson.quiz_id).questions:
        answer_from_the_quiz_file(page, question_on_screen(page, lesson.quiz_id))
        page.click("a.button.primary")
    assert page.locator("h1").inner_text() == "Bác chưa đạt lần này"
    assert f"Bước {lesson.key_steps[0]}: {lesson.steps[lesson.key_steps[0] - 1].title}" in (
        page.content()
    )
    check(page, "not-yet")


def test_the_teacher_opens_a_sessions_page_from_the_class_view(page, live_server):
    login(page, live_server, "demo-teacher")
    page.goto(f"{live_server}/guided/classes/relatives")
    page.locator(".tasks a").first.click()
    assert page.locator("h1").inner_text() == "Buổi hướng dẫn"
    assert page.locator(".timeline li").count() > 0
    check(page, "review-session")
