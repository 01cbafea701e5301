"""Learning pages: the framework, the catalogue, lessons, walkthroughs and my progress.

Content comes pre-rendered from the registry; a lesson page reads no file and renders no
Markdown, and costs two queries besides the signed-in user.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import learner_required, public
from app.content import get_content
from app.content.models import AUDIENCES, STUDENT, Lesson
from app.learn import bp
from app.learn.charts import domain_chart
from app.learn.forms import CatalogueFilterForm, CompleteLessonForm
from app.learn.services import (
    AUDIENCE_LABELS,
    STATUS_LABELS,
    LearnerProgress,
    complete_lesson,
    coverage_table,
    lesson_counts,
    lessons_by_id,
    open_lesson,
    path_view,
    progress_summary,
    recommended_path,
)

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
IMAGE_MAX_AGE = 24 * 60 * 60
# An SVG opened on its own must not run anything, whatever it contains.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.route("/")
@learner_required
def home():
    content = get_content()
    classroom = current_user.current_classroom() if current_user.role == "student" else None
    progress = LearnerProgress.load(current_user)
    path = path_view(recommended_path(current_user, content), progress, content)
    return render_template("learn/home.html", classroom=classroom, path=path)


@bp.route("/framework")
@public
def framework():
    """The national framework: domains, competences, levels, grades and our lessons."""
    content = get_content()
    return render_template(
        "learn/framework.html",
        framework=content.framework,
        counts=lesson_counts(content),
        audience_labels=AUDIENCE_LABELS,
    )


@bp.route("/coverage")
@public
def coverage():
    """Which lessons cover each competence at each level, for one audience."""
    content = get_content()
    audience = request.args.get("audience", STUDENT)
    if audience not in AUDIENCES:
        audience = STUDENT
    levels, rows = coverage_table(content, audience)
    return render_template(
        "learn/coverage.html",
        audience=audience,
        audience_labels=AUDIENCE_LABELS,
        levels=levels,
        rows=rows,
        covered={level: sum(row.covered_at(level) for row in rows) for level in levels},
        framework=content.framework,
    )


@bp.route("/lessons")
@learner_required
def catalogue():
    content = get_content()
    form = CatalogueFilterForm(content, formdata=request.args or None)
    if not request.args:
        form.audience.data = current_user.audience
    form.validate()
    filters = form.filters()
    progress = LearnerProgress.load(current_user)
    lessons = content.lessons_for(**filters)
    unfiltered = not request.args or filters == {
        "audience": current_user.audience, "domain": None, "competence": None, "level": None
    }  # fmt: skip
    path = recommended_path(current_user, content) if unfiltered else None
    return render_template(
        "learn/catalogue.html",
        form=form,
        items=[progress.item(lesson) for lesson in lessons],
        path=path_view(path, progress, content),
        framework=content.framework,
    )


def _lesson_or_404(lesson_id: str) -> Lesson:
    lesson = get_content().lesson(lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _neighbours(lesson: Lesson):
    audience = current_user.audience
    if audience not in lesson.audiences:
        audience = lesson.audiences[0]
    return get_content().next_and_previous(lesson.id, audience)


@bp.route("/lessons/<lesson_id>")
@learner_required
def lesson(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    content = get_content()
    state = open_lesson(current_user, lesson.id, lesson.quiz_id)
    return render_template(
        "learn/lesson.html",
        lesson=lesson,
        state=state,
        status_labels=STATUS_LABELS,
        quiz=content.quiz(lesson.quiz_id) if lesson.quiz_id else None,
        neighbours=_neighbours(lesson),
        prerequisites=lessons_by_id(content, lesson.prerequisites),
        framework=content.framework,
        form=CompleteLessonForm(),
    )


@bp.route("/lessons/<lesson_id>/done", methods=["POST"])
@learner_required
def complete(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    if not CompleteLessonForm().validate_on_submit():
        abort(400)
    complete_lesson(current_user, lesson.id)
    if lesson.quiz_id:
        flash(_("Đã ghi nhận bạn học xong bài này. Hãy làm bài kiểm tra để đạt năng lực."),
              "success")  # fmt: skip
    else:
        flash(_("Đã ghi nhận bạn học xong bài này."), "success")
    return redirect(url_for("learn.lesson", lesson_id=lesson.id))


@bp.route("/walkthroughs/<lesson_id>/steps/<int:number>")
@learner_required
def walkthrough_step(lesson_id: str, number: int):
    """A walkthrough followed alone: one step per screen, in large type."""
    lesson = _lesson_or_404(lesson_id)
    if not lesson.is_walkthrough or not 1 <= number <= len(lesson.steps):
        abort(404)
    open_lesson(current_user, lesson.id)
    return render_template(
        "learn/walkthrough_step.html",
        lesson=lesson,
        step=lesson.steps[number - 1],
        total=len(lesson.steps),
        form=CompleteLessonForm(),
    )


@bp.route("/images/<path:filename>")
@public
def lesson_image(filename: str):
    """Images that lessons show, and nothing else: only names in the registry's list of
    lesson images are served, so no path can reach outside ``lessons/``."""
    content = get_content()
    if filename not in content.images:
        abort(404)
    mimetype = IMAGE_TYPES.get(PurePosixPath(filename).suffix.lower())
    if mimetype is None:
        abort(404)
    response = send_from_directory(
        content.lessons_root, filename, mimetype=mimetype, max_age=IMAGE_MAX_AGE
    )
    response.cache_control.public = True
    response.headers["Content-Security-Policy"] = IMAGE_CSP
    return response


@bp.route("/progress")
@learner_required
def my_progress():
    content = get_content()
    summary = progress_summary(current_user, content)
    return render_template(
        "learn/my_progress.html",
        summary=summary,
        chart=domain_chart(summary.domains),
        framework=content.framework,
    )
