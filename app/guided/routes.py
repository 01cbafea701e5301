"""Routes of the guided feature, one module per group of screens."""

from flask import Response

from app.guided import bp, claim_routes, relative_routes, review_routes, session_routes  # noqa: F401


@bp.after_request
def no_store(response: Response) -> Response:
    """Guided pages hold relatives' details and a session's live state: never cache them.

    The back button then asks the server again, so a page never offers an old version.
    """
    response.headers["Cache-Control"] = "no-store"
    return response
