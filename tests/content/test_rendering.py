"""Markdown → HTML → sanitised: call-outs, images, and nothing that can run script."""

from __future__ import annotations

import pytest

from app.content import rendering
from app.content.rendering import CALLOUT_LABELS, render_markdown, sanitise


def render(text: str, source_dir: str = "hoc-sinh") -> str:
    return render_markdown(text, image_base_url="/bai-hoc/tep", source_dir=source_dir)


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        "[bấm vào đây](javascript:alert(1))",
        '<a href="javascript:alert(1)">bấm</a>',
        '<p style="position:fixed">che màn hình</p>',
        '<iframe src="https://example.com"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        '<div onclick="alert(1)">x</div>',
    ],
)
def test_nothing_that_can_run_script_survives(dangerous: str) -> None:
    html = render(f"Đoạn văn.\n\n{dangerous}\n")
    lowered = html.lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "style=", "<iframe", "alert"):
        assert bad not in lowered, html


def test_links_get_rel_and_keep_safe_schemes() -> None:
    html = render("[Cổng dịch vụ công](https://dichvucong.gov.vn) và [thư](mailto:a@b.vn)")
    assert '<a href="https://dichvucong.gov.vn" rel="noopener nofollow">' in html
    assert 'href="mailto:a@b.vn"' in html


@pytest.mark.parametrize(
    ("kind", "label"), [("TIP", "Mẹo"), ("WARNING", "Lưu ý"), ("SCAM", "Cảnh báo lừa đảo")]
)
def test_callouts_become_labelled_asides(kind: str, label: str) -> None:
    html = render(f"> [!{kind}]\n> Một **điều** cần nhớ.\n")
    assert html == (
        f'<aside aria-label="{label}" class="callout callout-{kind.lower()}" role="note">\n'
        f'<p class="callout-title">{label}</p>\n'
        "<p>Một <strong>điều</strong> cần nhớ.</p>\n"
        "</aside>"
    )


def test_callout_labels_are_in_one_dict() -> None:
    assert CALLOUT_LABELS["tip"] == "Mẹo"
    assert CALLOUT_LABELS["warning"] == "Lưu ý"
    assert CALLOUT_LABELS["scam"] == "Cảnh báo lừa đảo"
    assert {"see", "ifdiff", "money", "code"} <= set(CALLOUT_LABELS)


def test_adjacent_callouts_stay_separate_and_hold_lists() -> None:
    html = render(
        "> [!tip] Dòng đầu.\n>\n> - một\n> - hai\n\n> [!SCAM]\n> Cẩn thận.\n\n> Trích dẫn.\n"
    )
    assert html.count("<aside") == 2
    assert "<p>Dòng đầu.</p>\n<ul>\n<li>một</li>" in html
    assert "<blockquote>\n<p>Trích dẫn.</p>\n</blockquote>" in html


def test_unknown_callout_stays_a_plain_quote() -> None:
    assert render("> [!NOTE]\n> Ghi chú.\n").startswith("<blockquote>")


def test_relative_images_point_at_the_image_route() -> None:
    html = render("![Ô tìm kiếm](hinh/o tim-kiem.svg)\n\n![Sơ đồ](../chung/so-do.png)")
    assert '<img alt="Ô tìm kiếm" src="/bai-hoc/tep/hoc-sinh/hinh/o%20tim-kiem.svg">' in html
    assert 'src="/bai-hoc/tep/chung/so-do.png"' in html


def test_images_from_elsewhere_lose_their_source() -> None:
    html = render(
        "![a](https://example.com/a.png) ![b](//example.com/b.png) ![c](../../../etc/c.png)"
    )
    assert html.count("<img") == 3 and "src=" not in html


def test_sanitise_keeps_same_site_images_only() -> None:
    assert (
        sanitise('<img src="/bai-hoc/tep/a.png" alt="a">')
        == '<img src="/bai-hoc/tep/a.png" alt="a">'
    )
    assert "src" not in sanitise('<img src="https://example.com/a.png" alt="a">')
    assert "src" not in sanitise('<img src="/\\example.com/a.png" alt="a">')


def test_tables_use_align_attributes_not_styles() -> None:
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert '<th align="left">a</th>' in html and "style" not in html


def test_fenced_code_is_shown_not_run() -> None:
    html = render("```\n<script>alert(1)</script>\n```\n")
    assert "&lt;script&gt;" in html and "<script" not in html


def test_output_is_markup_so_templates_need_no_safe_filter() -> None:
    assert hasattr(render("x"), "__html__")


def test_rendering_is_cached_by_content(monkeypatch: pytest.MonkeyPatch) -> None:
    rendering.clear_cache()
    first = render("Một đoạn *được* lưu.")
    calls = []
    monkeypatch.setattr(rendering, "sanitise", lambda html: calls.append(html) or html)
    assert render("Một đoạn *được* lưu.") is first
    assert calls == []
    render("Một đoạn khác.")
    assert len(calls) == 1
    assert (
        render_markdown("Một đoạn *được* lưu.", image_base_url="/khac", source_dir="x") is not first
    )
