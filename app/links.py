"""Links that leave the site (told to a grandparent, printed, put in a QR code) are built
from ``SITE_URL``, never from the request's Host header, which a client can set to
anything (``Host: evil.example``)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from werkzeug import routing

MAX_DATABASE_INT = 2**31 - 1  # PostgreSQL INTEGER


def site_url() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """The public address of a page: ``SITE_URL`` + the route's path. Works in a request,
    in the CLI and in a PDF renderer alike."""
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return site_url() + path


def init_app(app: Flask) -> None:
    app.add_template_global(external_url)
    use_bounded_ids(app)


class IntegerConverter(routing.IntegerConverter):
    """``<int:…>`` that only matches what a database id column can hold: a huge id in a
    URL is a plain "not found", not an overflow deep in the database driver. (Same class
    name as Werkzeug's, so tools that read a rule's converter see an integer.)"""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(map, *args, **kwargs)


def use_bounded_ids(app: Flask) -> None:
    """Before any blueprint is registered: every ``int`` rule gets the bound."""
    app.url_map.converters["int"] = IntegerConverter
