"""Certificates: issuing, printing (PDF), public verification and Open Badges 3.0.

No URL prefix: it serves ``/verify/<code>`` (public), ``/certificates/…`` and
``/.well-known/cunghocso-issuer.json``; ``flask certificates issue|verify`` on the CLI.
"""

from flask import Blueprint

bp = Blueprint("certificates", __name__, cli_group="certificates")

from app.certificates import cli, routes  # noqa: E402,F401
