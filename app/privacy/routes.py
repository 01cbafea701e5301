"""Privacy pages. Views stay thin: the rules are in ``app.privacy.services``."""

from __future__ import annotations

from flask import render_template

from app.auth.access import public
from app.privacy import bp, retention


@bp.route("/")
@public
def notice():
    """The privacy notice in plain Vietnamese, linked from every page's footer."""
    return render_template(
        "privacy/notice.html",
        phone_days=retention.phone_days(),
        claim_code_days=retention.claim_code_days(),
    )
