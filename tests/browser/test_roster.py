"""The school admin's roster journey: upload a CSV with a mistake, fix it, confirm, print
the login cards; and the start-of-year promotion page."""

from __future__ import annotations

import shutil
import subprocess

from tests.browser.conftest import (
    SCREENSHOTS,
    assert_accessible,
    login,
    no_horizontal_scroll,
    screenshot,
)

# Each width runs against the same live server, so each imports its own class and people.
PEOPLE = {
    "mobile": {"class": "6A3", "prefix": "M", "teacher": "Đinh Thu Trang",
               "students": ["Nguyễn Hoài An", "Trần Bảo Ngọc", "Lê Minh Khôi"]},
    "desktop": {"class": "7A3", "prefix": "D", "teacher": "Cao Văn Sơn",
                "students": ["Phan Gia Bảo", "Võ Thị Thanh Hương", "Hồ Đăng Khoa"]},
}  # fmt: skip


def roster_csv(width: str, second_birth_date: str) -> bytes:
    spec = PEOPLE[width]
    births = ["12/03/2013", second_birth_date, "05/11/2013"]
    lines = ["DANH SÁCH HỌC SINH", "STT;Mã học sinh;Họ và tên;Ngày sinh;Lớp;Vai trò"]
    for n, (name, born) in enumerate(zip(spec["students"], births, strict=True), start=1):
        lines.append(f"{n};{spec['prefix']}{n:03d};{name};{born};{spec['class']};Học sinh")
    lines.append(f"4;;{spec['teacher']};;{spec['class']};Giáo viên")
    return "\r\n".join(lines).encode("utf-8-sig")


def choose_file(page, width: str, second_birth_date: str) -> None:
    page.set_input_files(
        "input[name=roster_file]",
        files=[{"name": "danh-sach.csv", "mimeType": "text/csv",
                "buffer": roster_csv(width, second_birth_date)}],
    )  # fmt: skip
    page.click("button:has-text('Tải lên và xem trước')")
    page.wait_for_load_state()


def check(page, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), page.url
    assert_accessible(page)


def test_admin_imports_a_class_and_prints_login_cards(page, live_server):
    width = page.width_name
    spec = PEOPLE[width]
    login(page, live_server, "demo-school-admin")
    page.click("summary:has-text('Menu')")
    page.click("a:has-text('Nhập danh sách')")
    assert page.locator("h1").inner_text() == "Nhập danh sách lớp, học sinh, giáo viên"
    check(page, "roster-upload")

    choose_file(page, width, "31/02/2013")
    problems = page.locator(".problems li")
    assert problems.count() == 1
    assert problems.first.inner_text() == (
        "Dòng 4, cột Ngày sinh (D): “31/02/2013” không phải ngày hợp lệ."
    )
    assert page.locator("button:has-text('Xác nhận nhập')").count() == 0
    check(page, "roster-preview-problem")

    choose_file(page, width, "28/02/2013")  # the form on the preview page
    assert page.locator(".problems").count() == 0
    assert page.locator(f"text={spec['students'][1]}").count() == 1
    check(page, "roster-preview")
    page.click("button:has-text('Chữ to')")  # the widest page, in large text
    assert no_horizontal_scroll(page)
    screenshot(page, "roster-preview-large-text")
    page.click("button:has-text('Chữ to')")

    page.click("button:has-text('Xác nhận nhập')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Đã nhập danh sách"
    assert "Đã nhập xong danh sách." in page.locator(".flash").inner_text()
    check(page, "roster-result")

    with page.expect_download() as download_info:
        page.click(f"a:has-text('Tải thẻ (PDF)'):has(span:has-text('lớp {spec['class']}'))")
    download = download_info.value
    assert download.suggested_filename == f"the-dang-nhap-{spec['class'].lower()}.pdf"
    pdf = SCREENSHOTS / f"roster-cards-{width}.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):  # a PNG of the first page, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(SCREENSHOTS / f"roster-cards-{width}")],
            check=True,
        )  # fmt: skip


def test_promotion_page(page, live_server):
    login(page, live_server, "demo-school-admin")
    page.goto(f"{live_server}/school/roster/promote")
    assert page.locator("h1").inner_text() == "Lên lớp đầu năm học"
    assert page.locator("text=Xác nhận lên lớp").count() == 1
    check(page, "roster-promote")


def test_example_files_download(page, live_server):
    login(page, live_server, "demo-school-admin")
    page.goto(f"{live_server}/school/roster/")
    with page.expect_download() as download_info:
        page.click("a:has-text('Tải tệp mẫu Excel (.xlsx)')")
    assert download_info.value.suggested_filename == "danh-sach-mau.xlsx"
