"""The student's relatives (register, correct, see what each can do) and the class view."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app import audit
from app.audit import actions
from app.auth.access import roles_required
from app.content import get_content
from app.extensions import db, limiter
from app.guided import bp, claims, content, link_requests, services
from app.guided.exceptions import GuidedError
from app.guided.forms import DecisionForm, RelativeForm, first_error
from app.guided.relative_rules import registrant_id, staff_may_manage
from app.guided.relatives import (
    ERASED_MESSAGE,
    RELATIONS,
    achievements_by_relative,
    find_matches,
    register_relative,
    student_link,
    student_links,
    update_relative,
)
from app.guided.relatives import class_relatives as class_relative_rows
from app.models import Classroom, Relative, Role, User
from app.outcomes import class_relatives_trained, relatives_helped
from app.teach.services import can_manage_classroom

STAFF_REVIEWERS = (Role.TEACHER, Role.SCHOOL_ADMIN)
DEFAULT_MATCH_RATE_LIMIT = "10 per hour;30 per day"


def _per_user() -> str:
    """One budget per student, kept across sign-outs and password changes."""
    return f"user:{current_user.id if current_user.is_authenticated else 'anonymous'}"


def _match_attempted(response) -> bool:
    return bool(g.get("relative_match_attempted"))


def refusal(status: int, message: str):
    """A refused action: the message on an error page with a 4xx status, nothing written."""
    return (
        render_template(
            "errors/error.html", status=status, title=_("Không thực hiện được"), message=message
        ),  # fmt: skip
        status,
    )


@bp.route("/")
@roles_required(Role.STUDENT)
def relatives():
    """The student's page: the relatives they help and what each can now do."""
    links = student_links(current_user)
    return render_template(
        "guided/relatives.html",
        links=links,
        achievements=achievements_by_relative([link.relative_id for link in links]),
        open_sessions=services.open_sessions(current_user),
        helped=relatives_helped([current_user.id])[current_user.id],
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
        to_decide=link_requests.requests_to_decide(current_user),
        my_requests=link_requests.own_requests(current_user),
        form=FlaskForm(),
    )


@bp.route("/relatives/new", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
@limiter.limit(
    lambda: current_app.config.get("GUIDED_MATCH_RATE_LIMIT", DEFAULT_MATCH_RATE_LIMIT),
    key_func=_per_user,
    methods=["POST"],
    deduct_when=_match_attempted,
)
def add_relative():
    """Register a relative. If the school already has her, joining is a request that the
    student who registered her (or the teacher) approves; every lookup is rate-limited
    per student and logged."""
    form = RelativeForm()
    if form.validate_on_submit():
        data = form.to_input()
        g.relative_match_attempted = True
        matches = find_matches(current_user, data)
        audit.record(
            actions.RELATIVE_MATCH_ATTEMPT,
            school=current_user.school_id,
            detail={"matches": len(matches), "same_as": form.same_as.data or ""},
            commit=True,
        )
        same_as = form.same_as_id()
        if not form.same_as.data and matches:
            mine = {m.id for m in matches if student_link(current_user, m.id)}
            return render_template(
                "guided/relative_match.html",
                form=form,
                matches=[(m, _registrant_class(m)) for m in matches],
                mine=mine,
            )
        try:
            if same_as is not None:
                link_requests.request_link(current_user, data, same_as)
            else:
                link = register_relative(current_user, data)
        except GuidedError as error:
            flash(str(error.message), "error")
        else:
            if same_as is not None:
                flash(_("Đã gửi yêu cầu. Khi gia đình hoặc thầy cô đồng ý, em sẽ thấy người "
                        "thân này trong danh sách."), "success")  # fmt: skip
                return redirect(url_for("guided.relatives"))
            flash(_("Đã lưu người thân mới."), "success")
            return redirect(url_for("guided.relative_detail", relative_id=link.relative_id))
    return render_template("guided/relative_form.html", form=form, link=None)


def _registrant_class(relative: Relative) -> str | None:
    """The class of the student who registered her: enough for a sibling to recognise."""
    student_id = registrant_id(relative)
    student = db.session.get(User, student_id) if student_id else None
    classroom = student.current_classroom() if student else None
    return classroom.name if classroom else None


@bp.route("/link-requests/<int:request_id>", methods=["POST"])
@roles_required(Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
def decide_link_request(request_id: int):
    """The registering student or the teacher approves or refuses a sibling's request."""
    request = link_requests.decidable_request(current_user, request_id)
    if request is None:
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        return refusal(400, first_error(form))
    decision = form.decision.data
    try:
        link_requests.decide(request, current_user, approve=decision == "approve")
    except GuidedError as error:
        return refusal(409, str(error.message))
    if decision == "approve":
        flash(_("Đã đồng ý. Bạn ấy giờ cùng hướng dẫn người thân này."), "success")
    else:
        flash(_("Đã từ chối yêu cầu."), "info")
    if current_user.role == Role.STUDENT:
        return redirect(url_for("guided.relatives"))
    return redirect(url_for("guided.class_relatives"))


@bp.route("/relatives/<int:relative_id>")
@roles_required(Role.STUDENT)
def relative_detail(relative_id: int):
    link = _own_link(relative_id)
    return render_template(
        "guided/relative_detail.html",
        link=link,
        relative=link.relative,
        achievements=achievements_by_relative([relative_id]).get(relative_id, []),
        sessions=services.relative_sessions(current_user, relative_id),
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
        code_expiry=claims.active_code_expiry(link.relative),
        form=FlaskForm(),
    )


@bp.route("/relatives/<int:relative_id>/edit", methods=["GET", "POST"])
@roles_required(Role.STUDENT)
def edit_relative(relative_id: int):
    link = _own_link(relative_id)
    relative = link.relative
    if relative.erased_at is not None:
        return refusal(409, str(ERASED_MESSAGE))
    form = RelativeForm(
        obj=relative,
        relation=link.relation,
        consent=True,
        consent_on=link.consent_on,
        parent_informed=True,
        parent_informed_on=link.parent_informed_on,
    )
    if form.validate_on_submit():
        update_relative(link, form.to_input())
        flash(_("Đã lưu thay đổi."), "success")
        return redirect(url_for("guided.relative_detail", relative_id=relative_id))
    return render_template("guided/relative_form.html", form=form, link=link)


@bp.route("/relatives/<int:relative_id>/claim-code", methods=["POST"])
@roles_required(Role.STUDENT)
def issue_claim_code(relative_id: int):
    """Show a new one-time code once; only its hash is kept."""
    link = _own_link(relative_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        issued = claims.issue_code(link.relative, current_user)
    except GuidedError as error:
        flash(str(error.message), "error")
        return redirect(url_for("guided.relative_detail", relative_id=relative_id))
    return make_response(
        render_template(
            "guided/claim_code.html",
            relative=link.relative,
            issued=issued,
            back=url_for("guided.relative_detail", relative_id=relative_id),
        )
    )


@bp.route("/classes/relatives")
@bp.route("/classes/<int:classroom_id>/relatives")
@roles_required(STAFF_REVIEWERS)
def class_relatives(classroom_id: int | None = None):
    """A homeroom teacher's (or the school admin's) view of one class's relatives."""
    classes = _visible_classes()
    if classroom_id is None:
        classroom = classes[0] if classes else None
    else:
        classroom = db.session.get(Classroom, classroom_id)
        if classroom is None or not can_manage_classroom(current_user, classroom):
            abort(404)
    rows = class_relative_rows(classroom) if classroom else []
    relative_ids = sorted({row.link.relative_id for row in rows})
    return render_template(
        "guided/class_relatives.html",
        classroom=classroom,
        classes=classes,
        rows=rows,
        to_decide=link_requests.requests_to_decide(current_user, relative_ids),
        form=FlaskForm(),
        class_student_ids={row.student.id for row in rows},
        titles=content.walkthrough_titles(),
        relations=RELATIONS,
        helped=class_relatives_trained(classroom, get_content()) if classroom else 0,
    )


@bp.route("/classes/relatives/<int:relative_id>/claim-code", methods=["POST"])
@roles_required(STAFF_REVIEWERS)
def staff_claim_code(relative_id: int):
    """The homeroom teacher prints a claim code for a relative of the class."""
    relative = db.session.get(Relative, relative_id)
    if relative is None or not staff_may_manage(current_user, relative):
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        issued = claims.issue_code(relative, current_user)
    except GuidedError as error:
        return refusal(409, str(error.message))
    return make_response(
        render_template(
            "guided/claim_code.html",
            relative=relative,
            issued=issued,
            back=url_for("guided.class_relatives"),
        )  # fmt: skip
    )


def _own_link(relative_id: int):
    """The student's registration of this relative; anyone else's looks missing (404)."""
    link = student_link(current_user, relative_id)
    if link is None:
        abort(404)
    return link


def _visible_classes() -> list[Classroom]:
    if current_user.role == Role.SCHOOL_ADMIN:
        return list(
            db.session.scalars(
                db.select(Classroom)
                .where(Classroom.school_id == current_user.school_id)
                .order_by(Classroom.school_year.desc(), Classroom.grade, Classroom.name)
            )
        )
    return current_user.homeroom_classes()
