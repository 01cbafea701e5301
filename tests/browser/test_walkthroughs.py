"""Every walkthrough for relatives, read step by step on a 360 px phone in large text."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content
from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot

WALKTHROUGHS = load_content(Path(__file__).resolve().parents[2]).walkthroughs()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.width_name = "mobile"
    yield page
    context.close()


@pytest.mark.parametrize("walkthrough", WALKTHROUGHS, ids=[w.id for w in WALKTHROUGHS])
def test_each_step_fits_a_phone_in_large_text(phone, live_server, walkthrough):
    login(phone, live_server, "demo-parent")
    phone.goto(f"{live_server}/learn/walkthroughs/{walkthrough.id}/steps/1")
    if "large-text" not in (phone.locator("html").get_attribute("class") or ""):
        with phone.expect_navigation():
            phone.click("button:has-text('Chữ to')")
    for number, step in enumerate(walkthrough.steps, start=1):
        phone.goto(f"{live_server}/learn/walkthroughs/{walkthrough.id}/steps/{number}")
        heading = phone.locator("h1").inner_text()
        assert step.title in heading, (walkthrough.id, number)
        assert no_horizontal_scroll(phone), f"{walkthrough.id} step {number} scrolls sideways"
        if number == 1 or step.warning:
            screenshot(phone, f"walkthrough-{walkthrough.id}-{number}")
            assert_accessible(phone)
