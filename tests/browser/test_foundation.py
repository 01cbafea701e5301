import pytest

from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot

DEMO_HOMES = {
    "demo-student": "/learn/",
    "demo-teacher": "/teach/",
    "demo-school-admin": "/school/",
    "demo-ward": "/ward/",
    "demo-parent": "/family/",
    "demo-admin": "/admin/",
}


def test_login_page(page, live_server):
    page.goto(f"{live_server}/login")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    screenshot(page, "login")
    assert no_horizontal_scroll(page)
    assert_accessible(page)


def test_wrong_password_message(page, live_server):
    login(page, live_server, "demo-student", "sai-mat-khau")
    assert "không đúng" in page.locator(".error").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("username", list(DEMO_HOMES))
def test_each_demo_role_signs_in_to_its_home(page, live_server, username):
    login(page, live_server, username)
    assert page.url.endswith(DEMO_HOMES[username])
    screenshot(page, f"home-{username}")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    page.click("summary:has-text('Menu')")
    assert_accessible(page)
    page.click("button:has-text('Đăng xuất')")
    assert page.url.endswith("/login")


def test_large_text_switch(page, live_server):
    login(page, live_server, "demo-student")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    with page.expect_navigation():
        page.click("button:has-text('Chữ to')")
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    screenshot(page, "large-text")
    with page.expect_navigation():
        page.click("button:has-text('Chữ to')")


def test_not_found_page(page, live_server):
    page.goto(f"{live_server}/khong-co")
    assert "Không tìm thấy trang" in page.content()
    screenshot(page, "404")
    assert_accessible(page)
