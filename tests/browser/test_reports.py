"""Journeys through the dashboards: the homeroom teacher, the principal, the ward officer."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, login, no_horizontal_scroll, screenshot


def _check(page, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def test_teacher_class_dashboard_grid_and_student(page, live_server):
    login(page, live_server, "demo-teacher")
    page.click("a.tile:has-text('6A1')")
    assert page.locator("h1").inner_text().startswith("Lớp 6A1")
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == 8
    _check(page, "reports-class-dashboard")

    if page.width_name == "desktop":
        page.click("th a.sort-link:has-text('Bài đã học')")
    else:
        page.select_option("#sort", "lessons")
        page.select_option("#order", "desc")
        page.click("form.sort-form button")
    assert "sort=lessons" in page.url
    sorted_header = page.locator("th[aria-sort]")
    assert sorted_header.count() == 1 and "Bài đã học" in sorted_header.inner_text()
    _check(page, "reports-class-sorted")

    page.click("a:has-text('Bảng năng lực của lớp')")
    assert page.locator("table.competence-grid tbody tr").count() == 8
    assert page.locator("h2:has-text('Cả lớp còn thiếu')").count() == 1
    _check(page, "reports-competence-grid")

    page.locator("table.competence-grid tbody th a").first.click()
    assert page.locator("h2:has-text('Năng lực số')").count() == 1
    assert page.locator("button:has-text('Đặt lại mật khẩu')").count() == 1
    _check(page, "reports-student-detail")


def test_school_admin_dashboard_ranking_and_report_export(page, live_server):
    login(page, live_server, "demo-school-admin")
    assert page.locator("h1").inner_text() == "Trường THCS Dương Quan"
    assert page.locator(".group-card").count() == 3
    assert page.locator("svg.chart").count() == 3
    assert page.locator("#thi-dua table tbody tr").count() == 4  # 6A1, 7A1, 8A1, 9A1
    assert "≥ 90%" in page.locator(".group-cards").inner_text()  # the school plan
    assert "≥ 80%" in page.locator(".group-cards").inner_text()  # the ward directive
    _check(page, "reports-school-dashboard")

    page.goto(f"{live_server}/school/targets")
    _check(page, "reports-school-targets")

    page.goto(f"{live_server}/reports/school")
    assert page.locator("#week-title + ul li").count() >= 6  # the demo's past weeks
    _check(page, "reports-school-list")
    page.click("button:has-text('Lập báo cáo ngay')")
    assert "Đã lập báo cáo" in page.locator(".flash").inner_text()
    # groups, students and parents by class, parents by way (guided / self-study), ranking
    assert page.locator("table.report-table").count() == 5
    assert "Phụ huynh, người thân đạt theo cách" in page.locator("main").inner_text()
    _check(page, "reports-school-snapshot")
    with page.expect_download() as download:
        page.click("a:has-text('Tải Excel (.xlsx)')")
    assert download.value.suggested_filename.startswith("bao-cao-truong-thcs-duong-quan-")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_ward_officer_sees_schools_but_no_names(page, live_server):
    login(page, live_server, "demo-ward")
    assert page.locator("h1").inner_text() == "Phường Thủy Nguyên"
    text = page.locator("main").inner_text()
    assert "Trường THCS Dương Quan" in text and "Toàn phường" in text
    assert "6A1" not in text and "demo-student" not in text
    _check(page, "reports-ward")

    page.goto(f"{live_server}/ward/targets")
    assert "≥ 80%" in page.locator("main").inner_text()
    _check(page, "reports-ward-targets")
    page.click("a:has-text('Sửa chỉ tiêu') >> nth=2")
    _check(page, "reports-ward-edit-targets")

    page.goto(f"{live_server}/reports/ward")
    page.locator("#week-title + ul a").first.click()
    # the ward total, one table per group, parents by way (guided / self-study)
    assert page.locator("table.report-table").count() == 5
    assert "Phụ huynh, người thân đạt theo cách" in page.locator("main").inner_text()
    _check(page, "reports-ward-snapshot")
