"""Login cards as a printable PDF: A4 pages of ten cut-out cards.

Each card carries what a child (or a grandparent) needs to sign in the first time: name,
class, username, initial password, and the site's address in words and as a QR code.
WeasyPrint renders it from an HTML template, with a font that has every Vietnamese
diacritic: Noto Sans from app/static/fonts when it is there, else the system's Noto Sans or
DejaVu Sans (fontconfig), and as a last resort the Noto Serif shipped in app/static/fonts,
so the cards never depend on what the server happens to have installed.
Only file: and data: URLs are fetched, never the network.
"""

from __future__ import annotations

import re
from pathlib import Path

import segno
from flask import current_app, render_template

from app.roster.fields import fold
from app.roster.services import Card

# (CSS family used in the template, weight, file under app/static/fonts)
FONT_FILES = [
    ("Card Sans", "400", "NotoSans-Regular.ttf"),
    ("Card Sans", "700", "NotoSans-Bold.ttf"),
    ("Card Fallback", "400", "NotoSerif-Regular.ttf"),
    ("Card Fallback", "700", "NotoSerif-Bold.ttf"),
]


def render_cards_pdf(cards: list[Card], *, school_name: str, title: str) -> bytes:
    from weasyprint import HTML, URLFetcher

    site_url = current_app.config["SITE_URL"]
    qr = segno.make(site_url, error="m")
    static = Path(current_app.static_folder)
    fonts = [
        {"family": family, "weight": weight, "file": (static / "fonts" / name).as_uri()}
        for family, weight, name in FONT_FILES
        if (static / "fonts" / name).is_file()
    ]
    html = render_template(
        "roster/cards_pdf.html",
        cards=cards,
        school_name=school_name,
        title=title,
        site_address=display_address(site_url),
        qr_uri=qr.svg_data_uri(dark="#000", border=0),
        fonts=fonts,
    )
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()


def display_address(site_url: str) -> str:
    """The address as a person would type it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", site_url).rstrip("/")


def pdf_file_name(label: str) -> str:
    """An ASCII file name for the download, e.g. ``the-dang-nhap-6a1.pdf``."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-") or "lop"
    return f"the-dang-nhap-{slug}.pdf"
