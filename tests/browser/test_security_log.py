from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot


def test_school_admin_reads_the_security_log(page, live_server):
    login(page, live_server, "demo-student", "sai-mat-khau")
    login(page, live_server, "demo-school-admin")
    page.goto(f"{live_server}/security-log/")
    page.wait_for_selector(".audit-events")
    assert page.locator("h1").inner_text() == "Nhật ký bảo mật"
    assert "Đăng nhập sai" in page.locator(".audit-events").inner_text()
    page.select_option("select[name=action]", "auth.login_failed")
    with page.expect_navigation():
        page.click("button:has-text('Lọc')")
    assert "action=auth.login_failed" in page.url
    assert "demo-student" in page.locator(".audit-events").inner_text()
    screenshot(page, "security-log")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
