"""The printable certificate: A4 landscape, embedded font, QR code, cached, class prints."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.certificates import pdf, services
from app.certificates.codes import format_code
from app.extensions import db
from app.models import Relative
from tests import factories
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    ZALO,
    certificate_files,
    link,
    relative,
    session,
)

A4_LANDSCAPE = (841.89, 595.28)  # points


def _issue(student, relative_obj, walkthrough, teacher):
    report = services.issue_for_session(session(student, relative_obj, walkthrough, teacher))
    db.session.commit()
    return report.issued


@pytest.fixture
def certificate(org):
    return _issue(org.student, relative(org.student), VNEID, org.teacher)[0]


def _reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name → embedded?"""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def _links(reader: PdfReader) -> list[str]:
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]


def test_the_certificate_pdf_is_one_a4_landscape_page_with_our_font(client, auth, org, certificate):
    auth.login(org.student.username)
    response = client.get(f"/certificates/{certificate.id}/pdf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader = _reader(response.get_data())
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    # Only the Noto Serif files shipped in app/static/fonts ("Cert Serif" in the CSS).
    assert {name.split("+", 1)[1] for name in fonts} == {"Cert-Serif", "Cert-Serif-Bold"}
    text = reader.pages[0].extract_text()
    for expected in (
        "Nguyễn Thị Hường",
        "Trường THCS Dương Quan".upper(),
        "VNeID",
        "Trần Minh An",
        "Nguyễn Thu Hà",
        format_code(certificate.code),
        "Cơ bản 2",
    ):
        assert expected in text, expected


def test_the_qr_code_links_to_the_public_verify_page(app, certificate):
    with app.test_request_context():
        reader = _reader(pdf.certificate_pdf(certificate))
        html = pdf.render_html([certificate])
    url = f"https://cunghocso.example/verify/{certificate.code}"
    assert set(_links(reader)) == {url}
    assert 'class="qr"' in html and "<svg" in html


def test_regenerating_gives_the_same_cached_document(app, certificate, monkeypatch):
    with app.test_request_context():
        first = pdf.certificate_pdf(certificate)
        cached = list(pdf.cache_dir().glob(f"certificate-{certificate.id}-*.pdf"))
        assert len(cached) == 1 and cached[0].read_bytes() == first

        def no_rendering(html):
            raise AssertionError("a cached certificate must not be rendered again")

        monkeypatch.setattr(pdf, "_write_pdf", no_rendering)
        assert pdf.certificate_pdf(certificate) == first


def test_rendering_is_deterministic(app, certificate):
    with app.test_request_context():
        html = pdf.render_html([certificate])
        assert pdf._write_pdf(html) == pdf._write_pdf(html)


def test_a_very_long_vietnamese_name_still_fits_on_one_page(app, org):
    long_name = "Tôn Nữ Thị Phương Hoàng Nguyễn Huỳnh Ngọc Bích Trâm Thượng Uyển"
    grandma = relative(org.student, full_name=long_name)
    [certificate] = _issue(org.student, grandma, VNEID, org.teacher)
    with app.test_request_context():
        reader = _reader(pdf.certificate_pdf(certificate))
    assert len(reader.pages) == 1
    assert "Tôn Nữ Thị Phương" in reader.pages[0].extract_text()


def test_a_class_print_has_one_page_per_certificate(client, auth, org):
    grandma = relative(org.student)
    _issue(org.student, grandma, VNEID, org.teacher)
    _issue(org.student, grandma, SCAM, org.teacher)  # + the combined certificate
    grandpa = relative(org.classmate, full_name="Phạm Văn Đức", phone=None)
    _issue(org.classmate, grandpa, ZALO, org.teacher)
    outsider = relative(org.other_student, full_name="Đỗ Văn Ngoài")
    _issue(org.other_student, outsider, VNEID, org.other_teacher)

    auth.login(org.teacher.username)
    page = client.get(f"/certificates/classes/{org.classroom.id}")
    assert page.status_code == 200
    assert "4 giấy còn hiệu lực" in page.get_data(as_text=True)
    response = client.get(f"/certificates/classes/{org.classroom.id}/pdf")

    assert response.status_code == 200
    reader = _reader(response.get_data())
    assert len(reader.pages) == 4  # 2 tasks + combined for grandma, 1 for grandpa
    texts = [p.extract_text() for p in reader.pages]
    assert sum("Phạm Văn Đức" in t for t in texts) == 1
    assert not any("Đỗ Văn Ngoài" in t for t in texts)  # another school's relative
    assert len(set(_links(reader))) == 4


def test_an_empty_class_says_there_is_nothing_to_print(client, auth, org):
    auth.login(org.teacher.username)
    response = client.get(f"/certificates/classes/{org.classroom.id}/pdf")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert "chưa có giấy chứng nhận nào để in" in follow.get_data(as_text=True)


def test_a_revoked_certificate_is_not_offered_for_printing(client, auth, org, certificate):
    services.revoke_certificate(certificate, org.school_admin, "Thu hồi để thử")
    db.session.commit()
    auth.login(org.student.username)
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 302
    assert "đã bị thu hồi" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_relatives_of_two_schools_never_share_a_print(org):
    assert org.school.id != org.other_school.id
    sibling = factories.user(
        factories.Role.STUDENT, org.school, username="hs-em", full_name="Trần Bảo Ngọc"
    )
    factories.enrol(sibling, org.classroom)
    grandma = relative(org.student)
    link(sibling, grandma)
    _issue(sibling, grandma, VNEID, org.teacher)
    rows = services.classroom_certificates(org.classroom)
    # Both grandchildren are in the class; the certificate is printed once.
    assert len(services.printable(rows)) == 1
    assert db.session.get(Relative, grandma.id).school_id == org.school.id


def test_the_pdf_is_tagged_for_screen_readers_in_vietnamese(app, certificate):
    with app.test_request_context():
        reader = _reader(pdf.certificate_pdf(certificate))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "vi"
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_a_cache_hit_is_a_file_read_and_stale_entries_are_pruned(app, org, monkeypatch):
    grandma = relative(org.student)
    [first] = _issue(org.student, grandma, VNEID, org.teacher)
    with app.test_request_context():
        one = pdf.certificates_pdf("class-7", [first])
        second = _issue(org.student, relative(org.student, "Trần Văn Bốn"), VNEID, org.teacher)
        two = pdf.certificates_pdf("class-7", [first, *second])
        assert one != two
        entries = list(pdf.cache_dir().glob("class-7-*.pdf"))
        assert len(entries) == 1 and entries[0].read_bytes() == two

        def no_rendering(*args, **kwargs):
            raise AssertionError("a cache hit must not render HTML, QR codes or PDF")

        monkeypatch.setattr(pdf, "render_html", no_rendering)
        monkeypatch.setattr(pdf, "qr_svg", no_rendering)
        assert pdf.certificates_pdf("class-7", [first, *second]) == two
