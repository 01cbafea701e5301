"""The two-person session on one phone: steps, hand-over, check questions, outcome.

Views are thin: they find the student's own session (anyone else's is a 404), call a
service, and turn a refused move (``GuidedError``) into a message plus a redirect to
wherever the session really is, so nothing typed or recorded is ever lost.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import roles_required
from app.guided import bp, content, services
from app.guided.exceptions import GuidedError
from app.guided.forms import StartSessionForm, StepForm, VersionedForm, first_error
from app.guided.relatives import RELATIONS, student_link, student_links
from app.models import GuidedSession, Role, SessionStatus, StepOutcome


def _own_session(session_id: int) -> GuidedSession:
    session = services.session_for_student(current_user, session_id)
    if session is None:
        abort(404)
    return session


def _resume_url(session: GuidedSession) -> str:
    """Where the session stands now: the screen a reopened browser should show."""
    lesson = content.walkthrough(session.walkthrough_id)
    if lesson is None:
        return url_for("guided.session", session_id=session.id)
    if session.status == SessionStatus.IN_PROGRESS:
        if session.current_step > len(lesson.steps):
            return url_for("guided.handover", session_id=session.id)
        return url_for("guided.step", session_id=session.id, number=session.current_step)
    if session.status == SessionStatus.CHECKING:
        return url_for("guided.check", session_id=session.id)
    return url_for("guided.result", session_id=session.id)


def _refused(error: GuidedError, session: GuidedSession):
    flash(str(error.message), "error")
    return redirect(_resume_url(session))


def _relation_label(relation: str) -> str:
    return str(RELATIONS.get(relation, relation))


def _relation(session: GuidedSession) -> str:
    link = student_link(current_user, session.relative_id)
    return _relation_label(link.relation) if link else ""


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
def start_session():
    links = [link for link in student_links(current_user) if link.relative.erased_at is None]
    if not links:
        flash(_("Hãy đăng ký người thân trước khi bắt đầu buổi hướng dẫn."), "info")
        return redirect(url_for("guided.add_relative"))
    form = StartSessionForm()
    form.relative.choices = [
        SelectChoice(
            link.relative_id, f"{link.relative.full_name} ({_relation_label(link.relation)})"
        )
        for link in links
    ]
    walkthroughs = content.walkthroughs()
    form.walkthrough.choices = [SelectChoice(w.id, w.title) for w in walkthroughs]
    if request.method == "GET":
        form.relative.data = request.args.get("relative", type=int)
        form.walkthrough.data = request.args.get("walkthrough")
    if form.validate_on_submit():
        try:
            session = services.start_session(
                current_user, form.relative.data, form.walkthrough.data
            )
        except GuidedError as error:
            flash(str(error.message), "error")
        else:
            return redirect(_resume_url(session))
    return render_template(
        "guided/start.html", form=form, walkthroughs={w.id: w for w in walkthroughs}
    )


@bp.route("/sessions/<int:session_id>")
@roles_required(Role.STUDENT)
def session(session_id: int):
    """Resume: send the student to wherever this session stopped."""
    session = _own_session(session_id)
    if content.walkthrough(session.walkthrough_id) is None:
        return render_template(
            "guided/missing.html", session=session, form=VersionedForm(version=session.version)
        )
    return redirect(_resume_url(session))


@bp.route("/sessions/<int:session_id>/steps/<int:number>")
@roles_required(Role.STUDENT)
def step(session_id: int, number: int):
    session = _own_session(session_id)
    lesson = content.walkthrough(session.walkthrough_id)
    step = content.step(lesson, number) if lesson else None
    if step is None or session.status != SessionStatus.IN_PROGRESS or number > session.current_step:
        return redirect(_resume_url(session))
    return render_template(
        "guided/step.html",
        session=session,
        lesson=lesson,
        step=step,
        recorded=services.recorded_outcomes(session).get(number),
        relation=_relation(session),
        form=StepForm(version=session.version),
        Outcome=StepOutcome,
    )


@bp.route("/sessions/<int:session_id>/steps/<int:number>", methods=["POST"])
@roles_required(Role.STUDENT)
def record_step(session_id: int, number: int):
    session = _own_session(session_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return redirect(_resume_url(session))
    try:
        services.record_step(session, number, StepOutcome(form.outcome.data), form.version.data)
    except GuidedError as error:
        return _refused(error, session)
    return redirect(_resume_url(session))


@bp.route("/sessions/<int:session_id>/handover")
@roles_required(Role.STUDENT)
def handover(session_id: int):
    """ "Đưa điện thoại cho bác": what was recorded, then the check questions."""
    session = _own_session(session_id)
    lesson = content.walkthrough(session.walkthrough_id)
    if (
        lesson is None
        or session.status != SessionStatus.IN_PROGRESS
        or not services.all_steps_recorded(session, lesson)
    ):
        return redirect(_resume_url(session))
    outcomes = services.recorded_outcomes(session)
    return render_template(
        "guided/handover.html",
        session=session,
        lesson=lesson,
        outcomes=outcomes,
        counts={o: sum(1 for v in outcomes.values() if v == o) for o in StepOutcome},
        missed=services.key_steps_missed(session, lesson),
        relation=_relation(session),
        form=VersionedForm(version=session.version),
        Outcome=StepOutcome,
    )


@bp.route("/sessions/<int:session_id>/check/start", methods=["POST"])
@roles_required(Role.STUDENT)
def begin_check(session_id: int):
    session = _own_session(session_id)
    form = VersionedForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return redirect(_resume_url(session))
    try:
        services.begin_check(session, form.version.data)
    except GuidedError as error:
        return _refused(error, session)
    return redirect(_resume_url(session))


@bp.route("/sessions/<int:session_id>/check")
@roles_required(Role.STUDENT)
def check(session_id: int):
    """One check question per screen, for the relative to answer."""
    session = _own_session(session_id)
    if session.status != SessionStatus.CHECKING:
        return redirect(_resume_url(session))
    try:
        question = services.next_question(session)
    except GuidedError as error:
        flash(str(error.message), "error")
        return redirect(url_for("guided.session", session_id=session.id))
    if question is None:
        return redirect(_resume_url(session))
    return render_template(
        "guided/question.html",
        session=session,
        lesson=content.walkthrough(session.walkthrough_id),
        question=question,
        form=VersionedForm(version=session.version),
    )


@bp.route("/sessions/<int:session_id>/check/<int:number>", methods=["POST"])
@roles_required(Role.STUDENT)
def answer(session_id: int, number: int):
    session = _own_session(session_id)
    form = VersionedForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return redirect(_resume_url(session))
    try:
        services.answer_question(session, number, request.form.getlist("answer"), form.version.data)
    except GuidedError as error:
        return _refused(error, session)
    return redirect(url_for("guided.answer_feedback", session_id=session.id, number=number))


@bp.route("/sessions/<int:session_id>/check/<int:number>/result")
@roles_required(Role.STUDENT)
def answer_feedback(session_id: int, number: int):
    session = _own_session(session_id)
    try:
        feedback = services.answer_feedback(session, number)
    except GuidedError:
        feedback = None
    if feedback is None:
        return redirect(_resume_url(session))
    return render_template(
        "guided/feedback.html",
        session=session,
        feedback=feedback,
        next_url=_resume_url(session),
    )


@bp.route("/sessions/<int:session_id>/result")
@roles_required(Role.STUDENT)
def result(session_id: int):
    session = _own_session(session_id)
    lesson = content.walkthrough(session.walkthrough_id)
    if lesson is None or session.status in (SessionStatus.IN_PROGRESS, SessionStatus.CHECKING):
        return redirect(_resume_url(session))
    plan = None
    if session.status == SessionStatus.NOT_YET:
        plan = services.practice_plan(session, lesson)
    return render_template(
        "guided/result.html",
        session=session,
        lesson=lesson,
        plan=plan,
        relation=_relation(session),
    )


@bp.route("/sessions/<int:session_id>/abandon", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
def abandon(session_id: int):
    """Stop a session started by mistake (asks first: a stray tap must not end it)."""
    session = _own_session(session_id)
    form = VersionedForm(version=session.version)
    if form.validate_on_submit():
        try:
            services.abandon(session, form.version.data)
        except GuidedError as error:
            return _refused(error, session)
        flash(_("Đã dừng buổi hướng dẫn."), "info")
        return redirect(url_for("guided.relative_detail", relative_id=session.relative_id))
    if session.status not in (SessionStatus.IN_PROGRESS, SessionStatus.CHECKING):
        return redirect(_resume_url(session))
    return render_template(
        "guided/abandon.html",
        session=session,
        lesson=content.walkthrough(session.walkthrough_id),
        form=form,
        back_url=_resume_url(session),
    )
