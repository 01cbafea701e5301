"""Links that leave the site (told to a grandparent, printed, put in a QR code) are built
from ``SITE_URL``, never from the request's Host header, which a client can set to
anything (``Host: evil.example``)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app


def site_url() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """The public address of a page: ``SITE_URL`` + the route's path. Works in a request,
    in the CLI and in a PDF renderer alike."""
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return site_url() + path


def init_app(app: Flask) -> None:
    app.add_template_global(external_url)
