"""The English catalog keeps up with the Vietnamese source, and templates wrap their text.

The msgids are the Vietnamese text itself, so a string someone forgets to translate does
not break any page: it silently shows Vietnamese to English readers. These tests turn
that into a failing test that names the strings and says how to fix it.
"""

from __future__ import annotations

import html.parser
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import get_domain

from app.models import Role

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "app" / "templates"
FIX = "Run make extract-messages and translate them in app/translations/en/LC_MESSAGES/messages.po"

# The same keywords as `make extract-messages` (Babel's defaults plus -k _l -k lazy_gettext).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# Text that stays Vietnamese in every language: the product name, and the language
# switch's own label (a language is offered in its own name).
UNTRANSLATED_TEXT = ("Cùng Học Số", "Tiếng Việt")

# Attributes a user reads or hears (screen readers), as opposed to ids, classes and URLs.
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}

# Vietnamese letters: đ, or a letter carrying a breve, circumflex, horn or tone mark.
VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


def is_vietnamese(text: str) -> bool:
    for allowed in UNTRANSLATED_TEXT:
        text = text.replace(allowed, "")
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in decomposed.lower() or any(ch in VIETNAMESE_MARKS for ch in decomposed)


def english_catalog():
    with ENGLISH_PO.open("rb") as f:
        return read_po(f)


def source_msgids() -> dict[str, str]:
    """Extract the source tree the way `make extract-messages` does: msgid -> first file."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def forms(string) -> list[str]:
    return list(string) if isinstance(string, tuple | list) else [string]


# (a) Every string in the source is in the catalog, translated and not fuzzy.


def test_every_source_string_is_in_the_english_catalog():
    catalog_ids = {singular(m.id) for m in english_catalog() if m.id}
    missing = sorted(
        f"{filename}: {msgid!r}"
        for msgid, filename in source_msgids().items()
        if msgid not in catalog_ids
    )
    assert not missing, (
        f"{len(missing)} string(s) are not in the English catalog. {FIX}:\n" + "\n".join(missing)
    )


def test_english_catalog_has_no_fuzzy_or_empty_translation():
    problems = []
    for message in english_catalog():
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {singular(message.id)!r}")
        elif not all(s.strip() for s in forms(message.string)):
            problems.append(f"untranslated: {singular(message.id)!r}")
    assert not problems, (
        f"{len(problems)} entries need a translation. {FIX}, and remove the 'fuzzy' flag once "
        "checked:\n" + "\n".join(problems)
    )


# (c) A translation uses exactly the placeholders of its msgid.


def test_translations_keep_the_placeholders_of_their_msgid():
    problems = []
    catalog = english_catalog()
    for message in catalog:
        if not message.id:
            continue
        expected = set(PLACEHOLDER.findall(" ".join(forms(message.id))))
        for string in forms(message.string):
            found = set(PLACEHOLDER.findall(string))
            if string and found != expected:
                problems.append(
                    f"{singular(message.id)!r}: msgid has {sorted(expected)}, "
                    f"translation has {sorted(found)}"
                )
    problems += [f"{singular(m.id)!r}: {e}" for m, errors in catalog.check() for e in errors]
    assert not problems, "Placeholders differ between msgid and translation:\n" + "\n".join(
        problems
    )


# (b) Pages render in the reader's language.


@pytest.fixture
def english(app):
    """Compile the English catalog if `make translations` has not (the .mo is git-ignored)."""
    mo_path = ENGLISH_PO.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < ENGLISH_PO.stat().st_mtime:
        with mo_path.open("wb") as f:
            write_mo(f, english_catalog())
        with app.test_request_context():
            get_domain().cache.clear()


def test_login_page_is_in_english_after_choosing_english(client, english):
    client.post("/preferences/locale", data={"locale": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Sign in" in html
    assert "Username" in html
    assert "Đăng nhập" not in html


def test_login_page_is_in_vietnamese_by_default(client, english):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Sign in" not in html


def test_account_language_wins_over_the_cookie(client, auth, make, english):
    make.user(role=Role.TEACHER, username="gv-english", locale="en")
    client.post("/preferences/locale", data={"locale": "vi"})
    auth.login("gv-english")
    html = client.get("/account/password").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Change password" in html


def test_error_page_is_in_english(client, english):
    client.post("/preferences/locale", data={"locale": "en"})
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "Page not found" in html


# (d) Templates: no visible Vietnamese outside {{ _(...) }} or {% trans %}.


class _VisibleText(html.parser.HTMLParser):
    """Collects (line, text) a reader sees: text nodes and readable attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw_text = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw_text += 1
        readable = set(VISIBLE_ATTRIBUTES)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset"):
            readable.add("value")
        for name, value in attrs:
            if value and (name in readable or name.endswith("-label")):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw_text:
            self._raw_text -= 1

    def handle_data(self, data):
        text = data.strip()
        if not self._raw_text and text:
            leading_lines = data[: data.index(text)].count("\n")
            self.found.append((self.getpos()[0] + leading_lines, text))


def _blank(text: str) -> str:
    """What a Jinja construct leaves behind: a neutral character, same line count."""
    return "\ue000" + "\n" * text.count("\n")


def template_problems(env, path: Path, root: Path = ROOT) -> list[str]:
    """Lines of one template with Vietnamese a reader sees but no translation covers.

    Jinja's own lexer splits the template, so quotes and braces inside expressions cannot
    confuse the scan. Expressions, tags and comments become a neutral character (keeping
    line numbers); text inside {% trans %} is translated, so it is blanked too. The
    remaining HTML is parsed for text nodes and readable attributes. String literals in
    Jinja code are reported unless they are the message of a gettext call.
    """
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    skeleton: list[str] = []
    problems: list[str] = []
    in_trans = False
    code: list[tuple[str, str]] = []  # significant tokens of the current tag/expression
    for lineno, kind, value in env.lex(source, name, str(path)):
        if kind == "data":
            skeleton.append(_blank(value) if in_trans else value)
            continue
        marker = "\ue000" if kind in ("block_begin", "variable_begin", "comment_begin") else ""
        skeleton.append(marker + "\n" * value.count("\n"))
        if kind in ("block_begin", "variable_begin"):
            code = []
        elif kind == "name" and code and code[-1][0] == "block_begin":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if kind == "string" and is_vietnamese(value) and not _is_gettext_message(code):
            problems.append(f"{name}:{lineno}: {value!r} (a string in Jinja code)")
        if kind not in ("whitespace", "comment", "comment_begin", "comment_end"):
            code.append((kind, value))
    parser = _VisibleText()
    parser.feed("".join(skeleton))
    parser.close()
    problems += [
        f"{name}:{line}: {text.replace(chr(0xE000), '…')!r}"
        for line, text in parser.found
        if is_vietnamese(text)
    ]
    return problems


def _is_gettext_message(code: list[tuple[str, str]]) -> bool:
    """True for _("…"), gettext("…"), ngettext("…", "…" and pgettext("ctx", "…"."""
    values = [value for _kind, value in code]
    for back in (2, 4):  # _( "msg"   |   ngettext( "one" , "many"
        if len(values) >= back and values[-back] in GETTEXT_CALLS and values[-back + 1] == "(":
            return back == 2 or (code[-2][0] == "string" and values[-1] == ",")
    return False


def test_templates_have_no_untranslated_vietnamese_text(app):
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        problems += template_problems(app.jinja_env, path)
    assert not problems, (
        f"{len(problems)} Vietnamese text(s) in templates are not wrapped for translation. "
        'Wrap them: {{ _("…") }} (or {% trans %}…{% endtrans %}); brand names allowed '
        f"untranslated: {', '.join(UNTRANSLATED_TEXT)}.\n" + "\n".join(problems)
    )


def test_template_scan_finds_bare_text_and_ignores_wrapped_text(app, tmp_path):
    """The scanner itself: it must catch what a reviewer would, and nothing else."""
    page = tmp_path / "page.html"
    page.write_text(
        "{# Ghi chú cho lập trình viên #}\n"
        '<h1 class="{{ \'đỏ\' if x }}">{{ _("Bài học") }}</h1>\n'
        "<p>\n  Chào bạn</p>\n"
        '<img alt="Ảnh minh hoạ" src="x.png">\n'
        '<a title="{{ _("Mở") }}" href="/">{% trans %}Trang chủ{% endtrans %}</a>\n'
        '{{ field(form.x, hint="Gợi ý") }}\n'
        "<footer>Cùng Học Số</footer>\n",
        encoding="utf-8",
    )
    problems = template_problems(app.jinja_env, page, root=tmp_path)
    assert len(problems) == 4, problems
    assert any(":2:" in p and "'đỏ'" in p for p in problems)
    assert any(":4:" in p and "Chào bạn" in p for p in problems)
    assert any(":5:" in p and "Ảnh minh hoạ" in p for p in problems)
    assert any(":7:" in p and "Gợi ý" in p for p in problems)
