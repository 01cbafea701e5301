"""Certificate pages: public verification, one's own certificates, class prints, revocation."""

from __future__ import annotations

import json
import re

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.auth.access import learner_required, login_required, public, roles_required
from app.certificates import bp, identity, pdf, publishing, services, status_list
from app.certificates.codes import InvalidCode, format_code
from app.certificates.display import (
    kind_label,
    public_view,
    short_date,
    unknown_view,
    vietnamese_date,
)
from app.certificates.forms import (
    CredentialFileForm,
    ReenableForm,
    RevokeForm,
    VerifyForm,
    code_problem_message,
)
from app.extensions import csrf, db, limiter
from app.models import Certificate, Classroom, Role

DEFAULT_VERIFY_LIMIT = "30 per minute;300 per hour"
TEACHERS = (Role.TEACHER, Role.SCHOOL_ADMIN)


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", DEFAULT_VERIFY_LIMIT)


# Lookups by code are counted per address, HTML and JSON together: codes have 135 random
# bits, so guessing is hopeless anyway; the limit keeps even trying expensive.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


@bp.app_template_filter("certificate_code")
def _certificate_code(code: str) -> str:
    return format_code(code)


@bp.app_template_filter("vietnamese_date")
def _vietnamese_date(moment) -> str:
    return vietnamese_date(moment)


@bp.app_template_filter("short_date")
def _short_date(moment) -> str:
    return short_date(moment)


@bp.app_template_global("certificate_kind_label")
def _certificate_kind_label(kind) -> str:
    return kind_label(kind)


def _no_index(response: Response) -> Response:
    """Verification pages are for people holding a paper, not for search engines."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-cache"  # a revocation shows at once
    return response


def _lookup(code: str) -> tuple[dict, str | None, int]:
    """(public view, problem message, HTTP status) for a code from the address bar."""
    try:
        certificate = services.find_by_code(code)
    except InvalidCode as error:
        return unknown_view(code[:60], well_formed=False), code_problem_message(error), 404
    if certificate is None:
        return unknown_view(code[:60], well_formed=True), None, 404
    view = public_view(certificate)
    # The same answer any outside verifier gets: read back from the published list.
    listed = status_list.published_status(certificate)
    if listed is not None:
        view["status_list"] = listed
        if listed["revoked"]:
            view["status"] = "revoked"
    return view, None, 200


# --- public ---------------------------------------------------------------------------


@bp.route("/verify")
@public
def verify_form():
    form = VerifyForm(formdata=request.args if "code" in request.args else None)
    if "code" in request.args and form.validate():
        return redirect(url_for(".verify", code=format_code(form.normalised)))
    return _no_index(make_response(render_template("certificates/verify_form.html", form=form)))


@bp.route("/verify/<code>")
@public
@verify_limit
def verify(code: str):
    view, problem, status = _lookup(code)
    form = VerifyForm(formdata=None, code=code if status == 404 else None)
    html = render_template("certificates/verify.html", view=view, problem=problem, form=form)
    return _no_index(make_response(html, status))


@bp.route("/verify/<code>.json")
@public
@verify_limit
def verify_json(code: str):
    view, problem, status = _lookup(code)
    if problem:
        view["message"] = problem
    response = jsonify(view)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _no_index(response)


def _verdict(result) -> str:
    if result.problems:
        return "invalid"
    return {"revoked": "revoked", "not-revoked": "valid", "no-status": "not-checked"}.get(
        result.revocation, "not-checked"
    )


@bp.route("/verify/credential", methods=["GET", "POST"])
@public
@verify_limit
def verify_credential():
    """Upload a downloaded credential file: signatures, keys and revocation, checked."""
    form = CredentialFileForm()
    result, status = None, 200
    if form.validate_on_submit():
        raw = form.credential.data.read(publishing.MAX_CREDENTIAL_BYTES + 1)
        result = publishing.check_credential_bytes(raw)
        status = 200 if _verdict(result) in ("valid", "revoked") else 422
    elif request.method == "POST":
        status = 400
    html = render_template(
        "certificates/verify_credential.html",
        form=form,
        result=result,
        verdict=_verdict(result) if result else None,
    )
    return _no_index(make_response(html, status))


@bp.route("/verify/credential.json", methods=["POST"])
@public
@csrf.exempt  # read-only, for programs; nothing is written
@verify_limit
def verify_credential_json():
    """POST a credential (JSON body); get the verdict as JSON."""
    raw = request.stream.read(publishing.MAX_CREDENTIAL_BYTES + 1)
    result = publishing.check_credential_bytes(raw)
    verdict = _verdict(result)
    response = jsonify(
        {
            "verdict": verdict,
            "problems": result.problems,
            "issuer": result.issuer,
            "verification_methods": result.methods,
            "key_fingerprints": result.fingerprints,
            "cryptosuites": result.suites,
            "revocation": result.revocation,
            "revocation_note": result.revocation_note,
        }
    )
    response.status_code = 200 if verdict in ("valid", "revoked") else 422
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _no_index(response)


def _published(document: dict, media_type: str, max_age: int) -> Response:
    """A public JSON-LD document any verifier may fetch, from any origin."""
    response = make_response(json.dumps(document, ensure_ascii=False, indent=1))
    response.headers["Content-Type"] = media_type
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@bp.route(identity.ISSUER_PATH)
@public
def issuer():
    """The controlled identifier document: every key (current and retired) of the issuer."""
    return _published(identity.issuer_document(), "application/ld+json", 3600)


@bp.route(identity.ISSUER_PATH + "/keys/<fingerprint>")
@public
def issuer_key(fingerprint: str):
    """One verification method by itself (Multikey), as verifiers dereference it."""
    document = identity.key_document(fingerprint)
    if document is None:
        abort(404)
    return _published(document, "application/ld+json", 3600)


@bp.route(identity.ISSUER_PATH + identity.STATUS_PATH)
@public
def revocation_list():
    """The signed Bitstring Status List credential (revocation), cached briefly."""
    return _published(status_list.status_list_credential(), "application/vc+ld+json", 300)


@bp.route(identity.LEGACY_ISSUER_PATH)
@public
def legacy_issuer():
    """The key document for credentials issued before the issuer had its own id."""
    controller = identity.site_url() + identity.LEGACY_ISSUER_PATH
    return _published(identity.legacy_issuer_document(controller), "application/ld+json", 3600)


# --- holders ----------------------------------------------------------------------------


@bp.route("/certificates/")
@learner_required
def mine():
    return render_template("certificates/mine.html", mine=services.my_certificates(current_user))


def _visible(certificate_id: int) -> Certificate:
    """The certificate, 404 if missing (before any permission check), 403 if not theirs."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not services.can_view(current_user, certificate):
        abort(403)
    return certificate


@bp.route("/certificates/<int:certificate_id>")
@login_required
def detail(
    certificate_id: int,
    revoke_form: RevokeForm | None = None,
    reenable_form: ReenableForm | None = None,
    problem: str | None = None,
):
    certificate = _visible(certificate_id)
    can_revoke = services.can_revoke(current_user, certificate) and not certificate.is_revoked
    can_reenable = services.can_reenable(current_user, certificate) and certificate.blocks_reissue
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        view=public_view(certificate),
        verify_url=identity.verify_url(certificate),
        form=revoke_form or (RevokeForm() if can_revoke else None),
        can_revoke=can_revoke,
        reenable_form=reenable_form or (ReenableForm() if can_reenable else None),
        can_reenable=can_reenable,
        problem=problem,
        claim_url=_claim_url(certificate),
    )


def _claim_url(certificate: Certificate) -> str | None:
    """For a student: where to make the relative a one-time code to claim her own account
    (the guided feature's relative page), while she has none."""
    relative = certificate.holder_relative
    if (
        current_user.role != Role.STUDENT
        or relative is None
        or relative.account_id is not None
        or "guided.relative_detail" not in current_app.view_functions
    ):
        return None
    return url_for("guided.relative_detail", relative_id=relative.id)


def _downloadable(certificate_id: int) -> Certificate | None:
    certificate = _visible(certificate_id)
    if certificate.is_revoked:
        flash(_("Giấy chứng nhận này đã bị thu hồi nên không tải xuống được."), "error")
        return None
    return certificate


def _log_download(certificate: Certificate, kind: str) -> None:
    audit.record(
        audit.actions.DOWNLOAD, target=certificate, target_user=certificate.holder_user_id,
        school=certificate.school_id, detail={"file": kind}, commit=True,
    )  # fmt: skip


@bp.route("/certificates/<int:certificate_id>/pdf")
@login_required
def download_pdf(certificate_id: int):
    certificate = _downloadable(certificate_id)
    if certificate is None:
        return redirect(url_for(".detail", certificate_id=certificate_id))
    _log_download(certificate, "pdf")
    response = make_response(pdf.certificate_pdf(certificate))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{pdf.download_name(certificate)}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/certificates/<int:certificate_id>/credential.json")
@login_required
def download_credential(certificate_id: int):
    certificate = _downloadable(certificate_id)
    if certificate is None:
        return redirect(url_for(".detail", certificate_id=certificate_id))
    _log_download(certificate, "credential")
    response = jsonify(certificate.credential)
    name = f"chung-nhan-{format_code(certificate.code)}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@roles_required(Role.SCHOOL_ADMIN)
def revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    if not services.can_revoke(current_user, certificate):
        abort(403)
    form = RevokeForm()
    if not form.validate_on_submit():
        return detail(certificate_id, revoke_form=form), 400
    try:
        services.revoke_certificate(certificate, current_user, form.reason.data)
    except services.CertificateError as error:
        db.session.rollback()
        return detail(certificate_id, problem=str(error.message)), 409
    db.session.commit()
    flash(_("Đã thu hồi giấy chứng nhận. Trang xác minh đã báo “đã thu hồi”."), "success")
    return redirect(url_for(".detail", certificate_id=certificate_id))


@bp.route("/certificates/<int:certificate_id>/reenable", methods=["POST"])
@roles_required(Role.SCHOOL_ADMIN)
def reenable(certificate_id: int):
    """Lift a revocation: the holder may be issued this achievement again (reason kept)."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not services.can_reenable(current_user, certificate):
        abort(403)
    form = ReenableForm()
    if not form.validate_on_submit():
        return detail(certificate_id, reenable_form=form), 400
    try:
        report = services.reenable_certificate(certificate, current_user, form.reason.data)
    except services.CertificateError as error:
        db.session.rollback()
        return detail(certificate_id, problem=str(error.message)), 409
    db.session.commit()
    if report.issued:
        flash(_("Đã cho cấp lại và cấp giấy chứng nhận mới."), "success")
        return redirect(url_for(".detail", certificate_id=report.issued[0].id))
    flash(_("Đã cho cấp lại. Giấy mới sẽ được cấp khi người học đạt đủ điều kiện."), "success")
    return redirect(url_for(".detail", certificate_id=certificate_id))


# --- classes ------------------------------------------------------------------------------


@bp.route("/certificates/classes")
@roles_required(TEACHERS)
def classes():
    return render_template(
        "certificates/classes.html", classrooms=services.classrooms_for(current_user)
    )


def _printable_classroom(classroom_id: int) -> Classroom:
    classroom = db.get_or_404(Classroom, classroom_id)
    if not services.can_print_classroom(current_user, classroom):
        abort(403)
    return classroom


@bp.route("/certificates/classes/<int:classroom_id>")
@roles_required(TEACHERS)
def classroom(classroom_id: int):
    classroom = _printable_classroom(classroom_id)
    rows = services.classroom_certificates(classroom)
    return render_template(
        "certificates/classroom.html",
        classroom=classroom,
        rows=rows,
        printable_count=len(services.printable(rows)),
    )


@bp.route("/certificates/classes/<int:classroom_id>/pdf")
@roles_required(TEACHERS)
def classroom_pdf(classroom_id: int):
    classroom = _printable_classroom(classroom_id)
    certificates = services.printable(services.classroom_certificates(classroom))
    if not certificates:
        flash(_("Lớp chưa có giấy chứng nhận nào để in."), "info")
        return redirect(url_for(".classroom", classroom_id=classroom_id))
    audit.record(
        audit.actions.EXPORT, target=classroom, detail={"certificates": len(certificates)},
        commit=True,
    )  # fmt: skip
    document = pdf.certificates_pdf(f"class-{classroom.id}", certificates)
    response = make_response(document)
    response.headers["Content-Type"] = "application/pdf"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{classroom.name}-{classroom.school_year}")
    name = f"chung-nhan-lop-{slug.strip('-')}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
