"""Lessons, walkthroughs and quizzes read from files, mapped to the competence framework.

``init_app`` loads everything under ``CONTENT_ROOT`` once at start-up into a
``ContentRegistry``; routes get it with ``get_content()``. Files with problems are left
out and logged; ``flask content check`` lists them. See docs/authoring.md for the formats.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from app.content.cli import content_cli
from app.content.loader import DEFAULT_IMAGE_BASE_URL, PROJECT_ROOT, load_content
from app.content.registry import ContentRegistry

EXTENSION_KEY = "content"


def init_app(app: Flask) -> None:
    """Load the content, log each problem, and register ``flask content``.

    Settings: ``CONTENT_ROOT`` (the folder holding lessons/ and quizzes/, default this
    repository) and ``CONTENT_IMAGE_URL`` (where the image route serves lessons/ files).
    """
    root = Path(app.config.get("CONTENT_ROOT") or PROJECT_ROOT)
    image_base_url = app.config.get("CONTENT_IMAGE_URL", DEFAULT_IMAGE_BASE_URL)
    registry = load_content(root, image_base_url=image_base_url)
    for problem in registry.problems:
        app.logger.warning("Content file left out: %s", problem)
    app.logger.info(
        "Content: %d lessons, %d quizzes, %d paths from %s (%d problems)",
        len(registry.lessons),
        len(registry.quizzes),
        len(registry.paths),
        root,
        len(registry.problems),
    )
    app.extensions[EXTENSION_KEY] = registry
    app.cli.add_command(content_cli)


def get_content() -> ContentRegistry:
    """The content registry of the current app."""
    try:
        return current_app.extensions[EXTENSION_KEY]
    except KeyError:
        raise RuntimeError("app.content.init_app(app) has not been called") from None


__all__ = ["ContentRegistry", "get_content", "init_app", "load_content"]
