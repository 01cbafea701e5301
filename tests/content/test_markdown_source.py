"""Finding headings, call-outs, images and raw HTML in Markdown source, with lines."""

from __future__ import annotations

from app.content.markdown_source import MarkdownSource


def source(text: str, first_line: int = 10) -> MarkdownSource:
    return MarkdownSource(text.split("\n"), first_line)


def test_headings_and_callouts_carry_file_lines() -> None:
    body = source("Mở đầu.\n\n## Một\n\n> [!SEE] Dòng đầu\n> dòng hai\n\nSau.\n### Nhỏ\n")
    assert [(h.level, h.text, h.line) for h in body.headings()] == [(2, "Một", 12), (3, "Nhỏ", 18)]
    (callout,) = body.callouts
    assert (callout.kind, callout.line, callout.markdown) == ("see", 14, "Dòng đầu\ndòng hai")
    assert body.text_without([callout]) == "Mở đầu.\n\n## Một\n\n\nSau.\n### Nhỏ\n"


def test_fenced_code_is_not_scanned() -> None:
    body = source("```\n## không phải tiêu đề\n<b>\n![](a.png)\n```\n~~~\n> [!NOTE]\n~~~\n")
    assert (body.headings(), body.callouts, body.images, body.raw_html) == ([], [], [], [])


def test_code_spans_and_autolinks_are_not_raw_html() -> None:
    body = source("Gõ `<b>` hoặc <https://dichvucong.gov.vn> hoặc <a@b.vn>; 3 < 5 > 1.\n")
    assert body.raw_html == []
    assert [m.text for m in source("A <br> B <i>c</i>\n<!-- x -->").raw_html] == ["<br>", "<!--"]


def test_images_with_titles_and_angle_brackets() -> None:
    body = source('![Ảnh một](hinh/a.png "Tiêu đề") và ![ ](<hinh/b c.png>)\n')
    assert [(i.alt, i.src, i.line) for i in body.images] == [
        ("Ảnh một", "hinh/a.png", 10),
        ("", "hinh/b c.png", 10),
    ]


def test_lists_straight_after_a_paragraph_are_found() -> None:
    text = "\n".join(
        [
            "Em cần:",  # 10
            "- giấy",  # 11 hidden
            "- bút",
            "",
            "Các bước:",
            "",
            "1. một",  # fine: blank line before
            "2. hai",
            "   tiếp",
            "3. ba",
            "",
            "> [!TIP]",
            "> - mẹo",  # fine: the marker is its own paragraph
            "",
            "> [!TIP]",
            "> Câu",
            "> 1. ẩn",  # 26 hidden, inside a call-out
            "",
            "| a |",
            "- sau bảng",  # fine: after a table row
        ]
    )
    assert [m.line for m in source(text).hidden_lists] == [11, 26]


def test_last_line_skips_trailing_blank_lines() -> None:
    assert source("a\n\nb\n\n\n").last_line == 12
    assert source("").last_line == 10


def test_slice_keeps_file_lines() -> None:
    body = source("a\nb\n## C\nd\n")
    part = body.slice(2)
    assert part.first_line == 12 and part.headings()[0].line == 12
