"""The privacy pages in Chromium at 360 px and 1280 px: readable, no sideways scroll,
accessible (axe-core), and reachable from the footer of any page."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot


def check(page, name: str) -> None:
    screenshot(page, f"privacy-{name}")
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def test_the_notice_is_one_tap_from_the_footer(page, live_server):
    page.goto(f"{live_server}/login")
    page.click("footer a:has-text('Quyền riêng tư')")
    assert page.locator("h1").inner_text() == "Chúng tôi giữ thông tin gì của bạn, và vì sao"
    check(page, "notice")


def test_a_student_reads_and_downloads_their_data(page, live_server):
    login(page, live_server, "demo-student")
    page.click("footer a:has-text('Dữ liệu của tôi')")
    assert page.locator("h1").inner_text() == "Dữ liệu của tôi"
    assert "Nguyễn Thị Lan" in page.locator("main").inner_text()  # her registered grandmother
    with page.expect_download() as download:
        page.click("a:has-text('Tải bản sao')")
    assert download.value.suggested_filename.startswith("du-lieu-cua-toi-")
    check(page, "my-data")
