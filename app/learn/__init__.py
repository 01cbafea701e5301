"""Learning: the framework, lessons, walkthroughs, quizzes and each learner's progress."""

from flask import Blueprint

bp = Blueprint("learn", __name__, url_prefix="/learn")

from app.learn import quiz_routes, routes  # noqa: E402,F401
