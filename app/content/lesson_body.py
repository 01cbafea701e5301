"""Checks on the Markdown body of a lesson or walkthrough, each reported on its line.

Raw HTML would be stripped silently by the sanitiser, and an image that is missing, far
away or undescribed shows as a broken or unreadable picture: authors hear about all of
these from the checker instead of from a learner.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from app.content.markdown_source import Callout, ImageRef, MarkdownSource
from app.content.problems import ProblemLog
from app.content.rendering import CALLOUT_LABELS, is_relative_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
# An SVG is a document: opened on its own from this site, its script would run here.
UNSAFE_SVG = re.compile(rb"<script|<foreignObject|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def check_body(
    body: MarkdownSource, source_path: Path, lessons_root: Path, log: ProblemLog
) -> tuple[str, ...]:
    """Report problems common to every lesson body; return the images it uses.

    Image paths are returned relative to ``lessons/`` (the image route serves those).
    """
    if not body.text.strip():
        log.add(body.first_line, "the lesson has no text after the front matter")
    for heading in body.headings(level=1):
        log.add(heading.line, "do not use '# ' headings: the title comes from the front matter")
    for html in body.raw_html:
        log.add(html.line, f"raw HTML {html.text!r} is not allowed: write Markdown only")
    for item in body.hidden_lists:
        log.add(
            item.line,
            f"put a blank line before the list starting {item.text!r}; "
            "without it the list shows as plain text",
        )
    images = []
    for image in body.images:
        path = _check_image(image, source_path.parent, lessons_root, log)
        if path is not None:
            images.append(path)
    return tuple(dict.fromkeys(images))


def check_callouts(
    callouts: list[Callout], allowed: tuple[str, ...], log: ProblemLog, *, where: str
) -> None:
    """Report call-outs that are empty, or whose kind is unknown or not used here."""
    choices = ", ".join(f"[!{kind.upper()}]" for kind in allowed)
    for callout in callouts:
        marker = f"[!{callout.kind.upper()}]"
        if callout.kind in allowed:
            if not callout.markdown.strip():
                log.add(callout.line, f"the {marker} call-out is empty")
        elif callout.kind in CALLOUT_LABELS:
            log.add(callout.line, f"{marker} is not used in {where}; use {choices}")
        else:
            log.add(callout.line, f"unknown call-out {marker}; use {choices}")


def _check_image(
    image: ImageRef, lesson_dir: Path, lessons_root: Path, log: ProblemLog
) -> str | None:
    name = image.src or "(empty)"
    if not image.alt:
        log.add(
            image.line, f"image '{name}' has no alt text: describe the picture in the [brackets]"
        )
    if not is_relative_path(image.src):
        log.add(
            image.line,
            f"image '{name}' must be a file beside the lesson, given as a relative path "
            "(like hinh/ten-anh.svg)",
        )
        return None
    path = (lesson_dir / unquote(image.src)).resolve()
    root = lessons_root.resolve()
    if not path.is_relative_to(root):
        log.add(image.line, f"image '{name}' is outside the lessons/ folder")
        return None
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        log.add(image.line, f"image '{name}' must be one of: {', '.join(IMAGE_SUFFIXES)}")
        return None
    if not path.is_file():
        log.add(image.line, f"image '{name}' not found")
        return None
    if path.suffix.lower() == ".svg" and UNSAFE_SVG.search(path.read_bytes()):
        log.add(image.line, f"image '{name}' contains script or event handlers: remove them")
        return None
    return PurePosixPath(path.relative_to(root)).as_posix()
