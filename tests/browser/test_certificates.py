"""Certificates in Chromium: a relative's certificate from the student's page to its PDF,
then — through the QR code's address — to the public verify page, as an anonymous visitor
on a phone. Screenshots at 360 px and desktop, each page scanned with axe-core.

The demo confirms a session in which dq-8a1-01 guided the grandmother of demo-student
(her other grandchild), so demo-student sees her certificate among their relatives'.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from urllib.parse import urlsplit

from pypdf import PdfReader

from app.certificates.codes import new_code
from tests.browser.conftest import (
    SCREENSHOTS,
    WIDTHS,
    assert_accessible,
    login,
    no_horizontal_scroll,
    screenshot,
)

GRANDMOTHER = "Nguyễn Thị Lan"
TASK = "Nhận biết và phòng tránh lừa đảo trực tuyến, cuộc gọi giả mạo"
VERIFY_PATH = re.compile(r"/verify/[0-9A-HJKMNP-TV-Z]{28}")


def check(page, name: str) -> None:
    screenshot(page, name)
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    assert_accessible(page)


def qr_urls(pdf: bytes, name: str) -> set[str]:
    """The verify address of the QR code: its link in the PDF and, where zbarimg is
    installed, the QR image itself decoded from a rendering of the page."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    links = {
        annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0].get("/Annots", [])
    }
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf_path = SCREENSHOTS / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    if shutil.which("pdftoppm"):  # a picture of the paper, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf_path), str(pdf_path)[:-4]],
            check=True,
        )
        if shutil.which("zbarimg"):
            decoded = subprocess.run(
                ["zbarimg", "--raw", "-q", str(pdf_path)[:-4] + ".png"],
                capture_output=True, text=True, check=True,
            ).stdout.split()  # fmt: skip
            assert set(decoded) == links, (decoded, links)
    return links


def test_a_relatives_certificate_from_pdf_to_the_public_verify_page(page, browser, live_server):
    login(page, live_server, "demo-student")
    page.goto(f"{live_server}/certificates/")
    assert GRANDMOTHER in page.locator("main").inner_text()
    check(page, "certificates-mine")

    page.click(f"a:has-text('{TASK}')")
    assert page.locator("h1").inner_text() == TASK
    assert "Người hướng dẫn" in page.locator("main").inner_text()
    check(page, "certificates-detail")

    pdf_link = page.locator("a:has-text('Tải giấy chứng nhận (PDF)')")
    response = page.request.get(live_server + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    [qr_url] = qr_urls(response.body(), f"certificates-paper-{page.width_name}")
    # The QR names the site's public address (SITE_URL); the live server has its own port.
    path = urlsplit(qr_url).path
    assert VERIFY_PATH.fullmatch(path), qr_url

    visitor = browser.new_context(viewport={"width": WIDTHS[page.width_name], "height": 800})
    phone = visitor.new_page()
    phone.width_name = page.width_name
    phone.goto(live_server + path)
    text = phone.locator("main").inner_text()
    assert "Giấy chứng nhận hợp lệ" in text
    assert "Nguyễn T** L**" in text and GRANDMOTHER not in text
    assert TASK in text and "Trường THCS Dương Quan" in text
    assert "Đăng xuất" not in phone.content()  # nobody is signed in
    check(phone, "certificates-verify-valid")

    data = phone.request.get(f"{live_server}{path}.json").json()
    assert data["status"] == "valid" and data["holder"] == "Nguyễn T** L**"
    visitor.close()


def test_a_downloaded_credential_file_is_checked_on_the_web(page, browser, live_server, tmp_path):
    login(page, live_server, "demo-student")
    page.goto(f"{live_server}/certificates/")
    page.click(f"a:has-text('{TASK}')")
    href = page.locator("a[href$='/credential.json']").first.get_attribute("href")
    credential = page.request.get(live_server + href)
    assert credential.ok
    genuine = tmp_path / "chung-nhan.json"
    genuine.write_bytes(credential.body())
    tampered = tmp_path / "sua.json"
    altered = credential.json()
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Thị Khác"
    tampered.write_text(json.dumps(altered, ensure_ascii=False))

    visitor = browser.new_context(viewport={"width": WIDTHS[page.width_name], "height": 800})
    phone = visitor.new_page()
    phone.width_name = page.width_name
    phone.goto(f"{live_server}/verify")
    phone.click("a:has-text('Kiểm tra chữ ký của tệp')")
    phone.set_input_files("input[type=file]", str(genuine))
    phone.click("button:has-text('Kiểm tra tệp')")
    phone.wait_for_selector("h1#verdict-title")
    assert phone.locator("h1").first.inner_text() == "Tệp chứng nhận số hợp lệ"
    check(phone, "certificates-verify-file-valid")

    phone.set_input_files("input[type=file]", str(tampered))
    phone.click("button:has-text('Kiểm tra tệp')")
    phone.wait_for_selector("h1:has-text('không hợp lệ')")
    assert "Chữ ký không khớp" in phone.locator("main").inner_text()
    check(phone, "certificates-verify-file-invalid")
    visitor.close()


def test_an_anonymous_visitor_types_a_code_and_a_typo_is_caught(page, live_server):
    page.goto(f"{live_server}/verify")
    check(page, "certificates-verify-form")

    page.fill("input[name=code]", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345")
    page.click("button:has-text('Kiểm tra')")
    text = page.locator("main").inner_text()
    assert "gõ sai" in text or "không dùng" in text
    assert "hợp lệ" not in text.lower().replace("không hợp lệ", "")
    check(page, "certificates-verify-typo")


def test_a_school_admin_revokes_and_the_verify_page_says_so(page, browser, live_server):
    login(page, live_server, "demo-school-admin")
    page.goto(f"{live_server}/certificates/classes")
    page.click("a.tile:has-text('6A1')")
    page.click(".cert-lines li:has-text('Người thân Phạm Văn Tâm') a")
    verify_path = urlsplit(page.locator("a.cert-url").get_attribute("href")).path
    if page.locator("summary:has-text('Thu hồi giấy chứng nhận này')").count():
        page.click("summary:has-text('Thu hồi giấy chứng nhận này')")
        page.fill("textarea[name=reason]", "Gia đình cho biết ông chưa tự làm được")
        check(page, "certificates-revoke-form")
        page.click("button:has-text('Thu hồi giấy chứng nhận')")
    text = page.locator("main").inner_text()
    assert "Đã thu hồi" in text and "chưa tự làm được" in text  # the school sees why
    check(page, "certificates-revoked-detail")

    visitor = browser.new_context(viewport={"width": WIDTHS[page.width_name], "height": 800})
    phone = visitor.new_page()
    phone.width_name = page.width_name
    phone.goto(live_server + verify_path)
    text = phone.locator("main").inner_text()
    assert "Giấy chứng nhận đã bị thu hồi" in text
    assert "chưa tự làm được" not in text  # the public does not
    check(phone, "certificates-verify-revoked")

    phone.goto(f"{live_server}/verify/{new_code()}")  # a well-formed code never issued
    assert "Không tìm thấy giấy chứng nhận" in phone.locator("main").inner_text()
    check(phone, "certificates-verify-unknown")
    visitor.close()


def test_a_teacher_prints_the_certificates_of_a_class(page, live_server):
    login(page, live_server, "demo-teacher")
    page.goto(f"{live_server}/certificates/classes")
    check(page, "certificates-classes")
    page.click("a.tile:has-text('6A1')")
    assert "In tất cả giấy chứng nhận của lớp" in page.locator("main").inner_text()
    check(page, "certificates-class")
    href = page.locator("a:has-text('In tất cả giấy chứng nhận của lớp')").get_attribute("href")
    response = page.request.get(live_server + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = len(PdfReader(io.BytesIO(response.body())).pages)
    count = int(re.search(r"(\d+) giấy còn hiệu lực", page.locator("main").inner_text())[1])
    assert pages == count
