"""Markdown to safe HTML: render first, then sanitise, as two separate steps.

Rendering knows the content conventions (call-out boxes, images beside the lesson);
sanitising knows nothing about Markdown and lets through only an allow-list of tags and
attributes, so a mistake in rendering or a trick in a file cannot put script on a page.
"""

from __future__ import annotations

import functools
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from urllib.parse import quote, unquote, urlsplit

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

# The visible title of each call-out box, by kind (the text after "[!" in the file).
# English titles come from the translation catalog, keyed by these Vietnamese strings.
CALLOUT_LABELS: dict[str, str] = {
    "tip": "Mẹo",
    "warning": "Lưu ý",
    "scam": "Cảnh báo lừa đảo",
    "money": "Liên quan đến tiền",
    "code": "Mã bí mật (OTP, mật khẩu)",
    "see": "Trên màn hình",
    "ifdiff": "Nếu màn hình khác",
}

CALLOUT_MARKER = re.compile(r"^ {0,3}>[ \t]?\[!([A-Za-z]+)\][ \t]*(.*)$")
QUOTE_PREFIX = re.compile(r"^ {0,3}> ?")

ALLOWED_TAGS = {
    "a", "aside", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "aside": {"aria-label"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_CLASSES = {
    "aside": {"callout", *(f"callout-{kind}" for kind in CALLOUT_LABELS)},
    "p": {"callout-title"},
}


def render_markdown(text: str, *, image_base_url: str, source_dir: str) -> Markup:
    """Render a lesson's Markdown to sanitised HTML.

    ``source_dir`` is the file's folder relative to ``lessons/`` (like ``hoc-sinh``);
    relative image paths become ``{image_base_url}/{path relative to lessons/}``.
    Results are cached by their inputs, so reloading unchanged content costs nothing.
    """
    return _render(text, image_base_url.rstrip("/"), source_dir)


@functools.lru_cache(maxsize=4096)
def _render(text: str, image_base_url: str, source_dir: str) -> Markup:
    with _converter_lock:  # a Markdown instance keeps state while converting
        html = _converter(image_base_url, source_dir).reset().convert(text)
    return Markup(sanitise(html))  # noqa: S704 - sanitised just now


@functools.cache
def _converter(image_base_url: str, source_dir: str) -> markdown.Markdown:
    """One converter per lesson folder: building one costs more than converting a page."""
    return markdown.Markdown(
        extensions=[
            "sane_lists",
            "fenced_code",
            TableExtension(use_align_attribute=True),  # an attribute, not a style
            _ContentExtension(image_base_url, source_dir),
        ],
        output_format="html",
    )


_converter_lock = threading.Lock()


def clear_cache() -> None:
    _render.cache_clear()


def sanitise(html: str) -> str:
    """Keep only allow-listed tags and attributes; links get rel="noopener nofollow"."""
    return _CLEANER.clean(html)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from this site: no scheme, no other host."""
    if tag != "img" or attribute != "src":
        return value
    return value if is_relative_path(value) or _is_same_site_path(value) else None


def _is_same_site_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith(("//", "/\\"))


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    tag_attribute_values={"aside": {"role": {"note"}}},
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener nofollow",
    strip_comments=True,
)


class _ContentExtension(Extension):
    def __init__(self, image_base_url: str, source_dir: str) -> None:
        super().__init__()
        self.image_base_url = image_base_url
        self.source_dir = source_dir

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # the name is Markdown's API
        # Before the block-quote processor (20), which would merge adjacent call-outs.
        md.parser.blockprocessors.register(_CalloutProcessor(md.parser), "callout", 25)
        # After inline processing (20), which is what creates <img> elements.
        md.treeprocessors.register(
            _ImageTreeprocessor(md, self.image_base_url, self.source_dir), "image_url", 15
        )


class _CalloutProcessor(BlockProcessor):
    """``> [!TIP]`` block quotes become labelled ``<aside>`` boxes.

    The content after the marker is parsed like any Markdown (lists, links, emphasis).
    Unknown kinds stay plain block quotes; the checker reports them.
    """

    def test(self, parent: etree.Element, block: str) -> bool:
        marker = callout_marker(block.split("\n", 1)[0])
        return marker is not None and marker[0] in CALLOUT_LABELS

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first, _, rest = blocks.pop(0).partition("\n")
        kind, text = callout_marker(first) or ("", "")  # test() matched this line
        label = CALLOUT_LABELS[kind]
        aside = etree.SubElement(
            parent,
            "aside",
            {"class": f"callout callout-{kind}", "role": "note", "aria-label": label},
        )
        title = etree.SubElement(aside, "p", {"class": "callout-title"})
        title.text = AtomicString(label)
        lines = [text] + [QUOTE_PREFIX.sub("", line) for line in rest.split("\n")]
        self.parser.parseChunk(aside, "\n".join(lines).strip("\n"))


def callout_marker(line: str) -> tuple[str, str] | None:
    """For a ``> [!KIND] text`` line: the lower-cased kind and the text after it."""
    match = CALLOUT_MARKER.match(line)
    return (match.group(1).lower(), match.group(2).strip()) if match else None


class _ImageTreeprocessor(Treeprocessor):
    """Point relative image paths at the route that serves files from ``lessons/``."""

    def __init__(self, md: markdown.Markdown, image_base_url: str, source_dir: str) -> None:
        super().__init__(md)
        self.image_base_url = image_base_url
        self.source_dir = source_dir

    def run(self, root: etree.Element) -> None:
        for image in root.iter("img"):
            src = image.get("src", "")
            if not is_relative_path(src):
                continue
            path = posixpath.normpath(posixpath.join(self.source_dir, unquote(src)))
            if path.startswith("../") or path == "..":
                del image.attrib["src"]  # outside lessons/: the checker reports it
            else:
                image.set("src", f"{self.image_base_url}/{quote(path)}")


def is_relative_path(url: str) -> bool:
    """True for ``hinh/a.svg``; false for ``/a.svg``, ``//host/a``, ``https:…``, ``#x``."""
    if not url or url.startswith(("/", "\\", "#")):
        return False
    try:
        return not urlsplit(url).scheme
    except ValueError:  # malformed, like "http://[x"
        return False
