"""Printable certificates: HTML template → A4 landscape PDF with WeasyPrint.

- The font (Noto Serif, every Vietnamese diacritic) ships in app/static/fonts and is
  embedded in the PDF; no system font is used.
- The QR code is an inline SVG from segno pointing at ``SITE_URL/verify/<code>``; it is
  also a link, so a PDF reader on a phone can open it with a tap.
- Tagged PDF (PDF/UA-1: structure tags, document language ``vi`` from ``<html lang>``),
  so screen readers read the certificate in order.
- The same certificate always gives the same bytes: the HTML is rendered in Vietnamese,
  the PDF carries no creation date, and WeasyPrint's output is otherwise deterministic.
- Cached under ``instance/certificates/`` by **certificate state** — ids, codes, whether
  revoked or superseded, the site address, plus the template, stylesheet, fonts and
  WeasyPrint version. A hit is a file read: no HTML, no QR code, no WeasyPrint. A miss
  renders once and removes the older entries of the same name (a certificate, or a
  class print), so the cache holds one file per certificate and per class.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import segno
import weasyprint  # imported with the app, so the first PDF after a start is not slow
from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from app.certificates.codes import format_code
from app.certificates.display import competence_rows, kind_label, short_date, vietnamese_date
from app.certificates.identity import site_url, verify_url
from app.models import Certificate, CertificateKind

FONTS = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf")
TEMPLATE = "certificates/paper.html"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def cache_dir() -> Path:
    configured = current_app.config.get("CERTIFICATE_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "certificates"


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG, sized by CSS (class ``qr``)."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(border=4, omitsize=True, svgclass="qr", dark="#000"))  # noqa: S704 - segno's own SVG


def _size(text: str, steps: Sequence[tuple[int, str]], last: str) -> str:
    """A size class for text that must fit on one line or two: longer → smaller."""
    for limit, name in steps:
        if len(text) <= limit:
            return name
    return last


def paper_view(certificate: Certificate) -> dict:
    """What one printed page shows, prepared so the template stays simple."""
    parts = certificate.details.get("parts", [])
    competences = competence_rows(certificate)
    guides = certificate.details.get("guides") or (
        [{"name": certificate.guided_by_name, "class": certificate.details.get("guided_by_class")}]
        if certificate.guided_by_name
        else []
    )
    return {
        "certificate": certificate,
        "kind": certificate.kind.value,
        "kind_label": kind_label(certificate.kind),
        "holder_size": _size(certificate.holder_name, [(22, "xl"), (32, "l"), (70, "m")], "s"),
        "title_size": _size(certificate.achievement_title, [(60, "l"), (110, "m")], "s"),
        "holder_class": certificate.details.get("holder_class"),
        "parts": [{**part, "issued_on_text": short_date(part["issued_on"])} for part in parts],
        "parts_size": "few" if len(parts) <= 4 else ("some" if len(parts) <= 8 else "many"),
        "competences": competences,
        "competences_size": "few" if len(competences) <= 4 else "many",
        "level_label": certificate.details.get("level_label", certificate.level),
        "guides": guides,
        "date_text": vietnamese_date(certificate.issued_at),
        "code_text": format_code(certificate.code),
        "verify_url": verify_url(certificate),
        "verify_home": site_url().split("://", 1)[-1] + "/verify",
        "qr": qr_svg(verify_url(certificate)),
    }


def render_html(certificates: Sequence[Certificate]) -> str:
    """The HTML of one page per certificate, always in Vietnamese."""
    with force_locale("vi"):
        return render_template(
            "certificates/paper.html",
            pages=[paper_view(c) for c in certificates],
            CertificateKind=CertificateKind,
        )


@cache
def _fonts_fingerprint(static_folder: str) -> bytes:
    digest = hashlib.sha256()
    for name in FONTS:
        digest.update((Path(static_folder) / "fonts" / name).read_bytes())
    return digest.digest()


def _layout_fingerprint() -> bytes:
    """What shapes every page besides the certificate: template, its includes and CSS
    (by modification time, so an edit invalidates the cache), fonts, WeasyPrint."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    digest.update(repr(sorted(PDF_OPTIONS.items())).encode())
    digest.update(_fonts_fingerprint(current_app.static_folder))
    templates = Path(current_app.root_path) / "templates" / "certificates"
    for name in ("paper.html", "_paper.css"):
        digest.update(f"{name}:{(templates / name).stat().st_mtime_ns}".encode())
    return digest.digest()


def state_key(certificates: Sequence[Certificate]) -> str:
    """Same certificates in the same state, same layout and address → same PDF."""
    digest = hashlib.sha256(_layout_fingerprint())
    digest.update(site_url().encode())
    for c in certificates:
        digest.update(f"|{c.id}:{c.code}:{c.revoked_at}:{c.superseded_at}:{c.holder_name}".encode())
    return digest.hexdigest()[:24]


def _write_pdf(html: str) -> bytes:
    from weasyprint.text.fonts import FontConfiguration

    static = Path(current_app.static_folder)
    return weasyprint.HTML(string=html, base_url=str(static) + os.sep).write_pdf(
        font_config=FontConfiguration(), **PDF_OPTIONS
    )


def _cached(name: str, certificates: Sequence[Certificate]) -> bytes:
    """The cached PDF for these certificates in their current state; rendered (and the
    stale entries of ``name`` pruned) only on a miss."""
    folder = cache_dir()
    path = folder / f"{name}-{state_key(certificates)}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    pdf = _write_pdf(render_html(certificates))
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader never sees half a file, two writers never clash.
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
        handle.write(pdf)
    Path(handle.name).replace(path)
    for stale in folder.glob(f"{name}-*.pdf"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return pdf


def certificate_pdf(certificate: Certificate) -> bytes:
    return _cached(f"certificate-{certificate.id}", [certificate])


def certificates_pdf(name: str, certificates: Sequence[Certificate]) -> bytes:
    """Several certificates in one PDF, one page each (a class print)."""
    return _cached(name, certificates)


def download_name(certificate: Certificate) -> str:
    return f"chung-nhan-{format_code(certificate.code)}.pdf"
