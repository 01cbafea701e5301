"""Taking a quiz, its result, and the learner's past attempts.

Correct answers never reach the quiz page: it shows each type's ``public_view``. Every
way a submission can be wrong (forged, expired or outdated paper, missing, foreign or
impossible answers) ends on a page saying what to do, never a 500; a paper already
graded leads to its attempt, so a double submit records one attempt.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import learner_required
from app.content import get_content
from app.content.models import Quiz
from app.learn import bp
from app.learn.attempts import (
    DuplicateSubmission,
    attempt_for_token,
    attempts_of,
    own_attempt,
    record_attempt,
    review_attempt,
)
from app.learn.forms import QuizSubmitForm
from app.learn.quiz_papers import (
    AnswerProblems,
    ExpiredPaper,
    ForgedPaper,
    OutdatedPaper,
    Paper,
    check_current,
    issue_paper,
    paper_questions,
    read_answers,
    read_paper,
    sign_paper,
)
from app.learn.services import quiz_result


def _quiz_or_404(quiz_id: str) -> Quiz:
    quiz = get_content().quiz(quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _render_paper(quiz: Quiz, paper: Paper, *, problems=None, message=None, status=200):
    questions = paper_questions(paper, quiz)
    if problems is not None:
        for shown in questions:
            shown.keep(request.form)
            shown.error = problems.by_question.get(shown.question.id)
    form = QuizSubmitForm(formdata=None, paper=sign_paper(paper))
    body = render_template(
        "learn/quiz.html",
        quiz=quiz,
        lesson=get_content().lesson_for_quiz(quiz.id),
        questions=questions,
        form=form,
        problems=problems,
        message=message,
        result=quiz_result(current_user, quiz.id),
    )
    return body, status


@bp.route("/quizzes/<quiz_id>", methods=["GET", "POST"])
@learner_required
def quiz(quiz_id: str):
    quiz = _quiz_or_404(quiz_id)
    if request.method == "GET":
        return _render_paper(quiz, issue_paper(current_user, quiz))

    form = QuizSubmitForm()
    if not form.validate_on_submit():
        return _refused(quiz, _("Phiếu làm bài bị thiếu. Hãy mở lại bài kiểm tra và làm lại."))
    try:
        paper = read_paper(form.paper.data, current_user, quiz)
    except ForgedPaper as error:
        return _refused(quiz, error.message)
    existing = attempt_for_token(paper.submission_token)
    if existing is not None:
        return _already_graded(existing)
    try:
        check_current(paper, quiz)
    except (ExpiredPaper, OutdatedPaper) as error:
        return _render_paper(quiz, issue_paper(current_user, quiz), message=error.message,
                             status=409)  # fmt: skip
    try:
        values, parsed = read_answers(paper, quiz, request.form)
    except AnswerProblems as problems:
        return _render_paper(quiz, paper, problems=problems, status=400)
    try:
        attempt = record_attempt(current_user, quiz, paper, values, parsed, get_content())
    except DuplicateSubmission as duplicate:
        return _already_graded(duplicate.attempt)
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


def _already_graded(attempt):
    flash(_("Bài làm này đã được nộp và chấm rồi. Đây là kết quả."), "info")
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


def _refused(quiz: Quiz, message: str):
    body = render_template("learn/quiz_refused.html", quiz=quiz, message=message)
    return body, 400


@bp.route("/quizzes/<quiz_id>/attempts")
@learner_required
def attempts(quiz_id: str):
    content = get_content()
    quiz = content.quiz(quiz_id)
    attempts = attempts_of(current_user, quiz_id)
    if quiz is None and not attempts:
        abort(404)  # a quiz removed since still lists the attempts made at it
    return render_template(
        "learn/attempts.html",
        quiz=quiz,
        quiz_id=quiz_id,
        attempts=attempts,
        lesson=content.lesson_for_quiz(quiz_id),
    )


@bp.route("/attempts/<int:attempt_id>")
@learner_required
def attempt(attempt_id: int):
    """One attempt, reviewable for ever: rendered from what was stored when graded."""
    attempt = own_attempt(current_user, attempt_id)
    if attempt is None:
        abort(404)
    content = get_content()
    return render_template(
        "learn/attempt.html",
        review=review_attempt(attempt, content),
        lesson=content.lesson_for_quiz(attempt.quiz_id),
        result=quiz_result(current_user, attempt.quiz_id),
    )
