"""Setting up a city in the browser, the city officer's page, new passwords from the
level above, and the sign-in page's "whom to ask": at 360 px and on a desktop."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot


def _check(page, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def test_site_admin_sets_up_a_province_ward_school_and_account(page, live_server, tmp_path):
    suffix = "Di Động" if page.width_name == "mobile" else "Máy Tính"
    login(page, live_server, "demo-admin")
    assert page.locator("h1").inner_text() == "Quản trị hệ thống"
    assert "Trường THCS Dương Quan" in page.locator("main").inner_text()
    _check(page, "setup-admin-home")

    page.click("a.button:has-text('Thêm tỉnh, thành phố')")
    page.fill("input[name=name]", f"Tỉnh {suffix}")
    _check(page, "setup-new-province")
    page.click("main button[type=submit]")
    page.wait_for_selector(f"h2:has-text('Tỉnh {suffix}')")

    # the same province again: refused with a message on the field, nothing made
    page.goto(f"{live_server}/admin/provinces/new")
    page.fill("input[name=name]", f"tỉnh {suffix.lower()}")
    page.click("main button[type=submit]")
    error = page.locator("p.error")
    error.wait_for()
    assert f"Đã có tỉnh, thành phố “Tỉnh {suffix}”" in error.inner_text()
    _check(page, "setup-duplicate-province")

    page.goto(f"{live_server}/admin/wards/new")
    page.select_option("select[name=province]", label=f"Tỉnh {suffix}")
    page.fill("input[name=name]", f"Phường {suffix}")
    page.click("main button[type=submit]")
    page.wait_for_selector(f"h3:has-text('Phường {suffix}')")

    page.goto(f"{live_server}/admin/schools/new")
    page.select_option("select[name=ward]", label=f"Phường {suffix} — Tỉnh {suffix}")
    page.select_option("select[name=level]", "thcs")
    page.fill("input[name=name]", f"Trường THCS {suffix}")
    _check(page, "setup-new-school")
    page.click("main button[type=submit]")
    page.wait_for_selector(f"strong:has-text('Trường THCS {suffix}')")

    page.goto(f"{live_server}/admin/users/new")
    _check(page, "setup-user-role")
    page.click("a.button:has-text('Quản trị nhà trường')")
    page.select_option("select[name=place]", label=f"Trường THCS {suffix} — Phường {suffix}")
    page.fill("input[name=full_name]", "Phạm Hồng Hải")
    page.fill("input[name=username]", f"ht.{page.width_name}")
    page.click("main button[type=submit]")
    password = page.locator("[data-one-time-password]")
    password.wait_for()
    assert len(password.inner_text()) == 14
    _check(page, "setup-new-account")
    with page.expect_download() as download:
        page.click("button[type=submit]:has-text('Tải thẻ đăng nhập')")
    path = tmp_path / "card.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")


def test_a_school_list_with_a_bad_row_is_previewed_and_refused(page, live_server, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Phường, xã", "Tên trường", "Cấp học"])
    sheet.append(["Phường Thủy Nguyên", "Trường Tiểu học Mới", "Tiểu học"])
    sheet.append(["Phường Lưu Kiếm", "Trường THCS Lưu Kiếm", "Đại học"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "truong.xlsx"
    path.write_bytes(buffer.getvalue())

    login(page, live_server, "demo-admin")
    page.goto(f"{live_server}/admin/schools/import")
    page.select_option("select[name=province]", label="Hải Phòng")
    page.set_input_files("input[name=school_file]", str(path))
    _check(page, "setup-school-list-upload")
    page.click("main button[type=submit]")
    alert = page.locator(".callout-error")
    alert.wait_for()
    assert "Dòng 3, cột Cấp học (C): “Đại học” không phải cấp học" in alert.inner_text()
    assert page.locator("button[type=submit]:has-text('Xác nhận')").count() == 0
    _check(page, "setup-school-list-preview")


def test_city_officer_sees_wards_side_by_side(page, live_server):
    login(page, live_server, "demo-city")
    assert page.locator("h1").inner_text() == "Hải Phòng"
    assert page.locator("table.report-table").count() >= 4
    text = page.locator("main").inner_text()
    assert "Phường Thủy Nguyên" in text and "Các trường — Phường Thủy Nguyên" in text
    assert "Trường THCS Dương Quan" in text
    _check(page, "setup-city-home")
    page.click("nav[aria-label='Việc của Sở'] a:has-text('Tài khoản cán bộ phường')")
    page.wait_for_selector("h1:has-text('Cấp lại mật khẩu')")
    assert "demo-ward" in page.locator("main").inner_text()
    _check(page, "setup-city-accounts")


def test_ward_officer_gives_a_school_admin_a_new_password(page, live_server):
    login(page, live_server, "demo-ward")
    page.goto(f"{live_server}/accounts/")
    row = page.locator("li.row", has_text="hd-hieu-truong")
    row.locator("button:has-text('Cấp mật khẩu mới')").click()
    page.locator("[data-one-time-password]").wait_for()
    assert "hd-hieu-truong" in page.locator("main").inner_text()
    _check(page, "setup-ward-reset")


def test_sign_in_page_says_whom_to_ask(page, live_server):
    page.goto(f"{live_server}/login")
    forgot = page.locator("section[aria-labelledby=forgot-title]")
    assert "Phụ huynh, người thân:" in forgot.inner_text()
    assert page.locator("a[href='/guided/claim']").count() == 1
    assert page.locator("a[href='/verify']").count() == 1
    _check(page, "setup-login")
