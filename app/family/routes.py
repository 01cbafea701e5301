from flask import render_template, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.family import bp
from app.family.services import children_progress, own_walkthroughs
from app.guided import content
from app.models import Role

SUGGESTED_WALKTHROUGHS = 4


def solo_walkthrough_url(walkthrough_id: str) -> str:
    """The learn feature's one-step-per-screen walkthrough, followed alone."""
    return url_for("learn.walkthrough_step", lesson_id=walkthrough_id, number=1)


@bp.route("/")
@roles_required(Role.PARENT)
def home():
    """A parent's home: their own tasks and walkthroughs, and their linked children only."""
    achievements, walkthroughs = own_walkthroughs(current_user)
    return render_template(
        "family/home.html",
        children=children_progress(current_user),
        achievements=achievements,
        walkthroughs=walkthroughs[:SUGGESTED_WALKTHROUGHS],
        titles=content.walkthrough_titles(),
        solo_url=solo_walkthrough_url,
    )
