"""The parts of a lesson's Markdown source the checker and the step splitter need.

Python-Markdown gives an HTML tree without line numbers; authors need line numbers. So
this reads the source line by line (skipping fenced code) and finds headings, call-outs,
images, raw HTML and lists that Markdown would not see as lists, each with its file line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from app.content.rendering import QUOTE_PREFIX, callout_marker

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
QUOTED = re.compile(r"^ {0,3}>")
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
CODE_SPAN = re.compile(r"(`+).+?\1")
IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*(?:<(?P<bracketed>[^>]*)>|(?P<plain>[^)\s]*))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>|<!--")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # file line
    index: int  # position in the source's lines


@dataclass(frozen=True)
class Callout:
    kind: str  # lower-case, as in "> [!SEE]" → "see"
    line: int  # file line of the marker
    start: int  # position of the marker line in the source's lines
    end: int  # position after its last line
    markdown: str  # the content, without the marker and the ">" prefixes


@dataclass(frozen=True)
class ImageRef:
    alt: str
    src: str
    line: int


@dataclass(frozen=True)
class Marked:
    """Something on one line worth reporting (raw HTML, a list Markdown will not see)."""

    text: str
    line: int


class MarkdownSource:
    """Lines of Markdown that know which file line each of them is."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines = lines
        self.first_line = first_line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def last_line(self) -> int:
        """The file line of the last line with text (where to add something at the end)."""
        filled = [i for i, line in enumerate(self.lines) if line.strip()]
        return self.first_line + (filled[-1] if filled else 0)

    def slice(self, start: int, end: int | None = None) -> MarkdownSource:
        return MarkdownSource(self.lines[start:end], self.first_line + start)

    def text_without(self, callouts: list[Callout]) -> str:
        """The text with the given call-outs cut out (a step's instruction)."""
        dropped = {i for callout in callouts for i in range(callout.start, callout.end)}
        return "\n".join(line for i, line in enumerate(self.lines) if i not in dropped)

    def headings(self, level: int | None = None) -> list[Heading]:
        return [h for h in self._scan.headings if level is None or h.level == level]

    @property
    def callouts(self) -> list[Callout]:
        return self._scan.callouts

    @property
    def images(self) -> list[ImageRef]:
        return self._scan.images

    @property
    def raw_html(self) -> list[Marked]:
        return self._scan.raw_html

    @property
    def hidden_lists(self) -> list[Marked]:
        """List items straight after a paragraph line: Markdown shows them as plain text."""
        return self._scan.hidden_lists

    @functools.cached_property
    def _scan(self) -> _Scan:
        return _Scan(self)


class _Scan:
    """One pass over the lines, outside fenced code."""

    def __init__(self, source: MarkdownSource) -> None:
        self.headings: list[Heading] = []
        self.callouts: list[Callout] = []
        self.images: list[ImageRef] = []
        self.raw_html: list[Marked] = []
        self.hidden_lists: list[Marked] = []
        self._lists = _ListTracker(self.hidden_lists)
        fence: str | None = None
        lines = source.lines
        for index, line in enumerate(lines):
            file_line = source.first_line + index
            opening = FENCE.match(line)
            if fence is not None:
                if (
                    opening
                    and opening.group(1)[0] == fence[0]
                    and len(opening.group(1)) >= len(fence)
                ):
                    fence = None
                continue
            if opening:
                fence = opening.group(1)
                self._lists.boundary()
                continue
            self._read_line(lines, index, file_line)

    def _read_line(self, lines: list[str], index: int, file_line: int) -> None:
        line = lines[index]
        heading = HEADING.match(line)
        if heading:
            level, text = len(heading.group(1)), heading.group(2).strip()
            self.headings.append(Heading(level, text, file_line, index))
        marker = callout_marker(line)
        if marker is not None:
            kind, text = marker
            end = index + 1
            while end < len(lines) and QUOTED.match(lines[end]):
                end += 1
            content = [QUOTE_PREFIX.sub("", item) for item in lines[index + 1 : end]]
            markdown = "\n".join([text, *content]).strip("\n")
            self.callouts.append(Callout(kind, file_line, index, end, markdown))
        without_code = CODE_SPAN.sub(" ", line)
        for image in IMAGE.finditer(without_code):
            src = image["bracketed"] if image["bracketed"] is not None else image["plain"]
            self.images.append(ImageRef(image["alt"].strip(), src, file_line))
        html = HTML.search(without_code)
        if html:
            self.raw_html.append(Marked(html.group(), file_line))
        self._lists.read(line, file_line, is_marker=marker is not None, is_heading=bool(heading))


class _ListTracker:
    """Finds list items that follow a paragraph line with no blank line between.

    GitHub shows those as a list; Python-Markdown, which renders the site, does not.
    """

    def __init__(self, found: list[Marked]) -> None:
        self.found = found
        self.quoted = False
        self.boundary()

    def boundary(self) -> None:
        self.previous_is_text = False
        self.in_list = False

    def read(self, line: str, file_line: int, *, is_marker: bool, is_heading: bool) -> None:
        quoted = bool(QUOTED.match(line))
        if quoted != self.quoted:
            self.boundary()
            self.quoted = quoted
        content = QUOTE_PREFIX.sub("", line) if quoted else line
        if is_marker or not content.strip():
            self.boundary()
        elif LIST_ITEM.match(content):
            if self.previous_is_text and not self.in_list:
                self.found.append(Marked(content.strip(), file_line))
            self.in_list = True
            self.previous_is_text = False
        else:
            is_text = not (is_heading or content.lstrip().startswith("|"))
            self.previous_is_text = is_text and not self.in_list
