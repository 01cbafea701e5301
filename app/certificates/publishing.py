"""Signing a certificate's credential with the platform's current identity.

Used when a certificate is issued and by ``flask certificates reissue`` (which re-signs
a stored credential, keeping its code and dates). Nothing here commits.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.certificates import identity, status_list
from app.certificates.credentials import build_credential, iso_utc
from app.certificates.signing import sign_document
from app.certificates.verifier import Verification, document_source, parse_json, verify
from app.models import Certificate


class LoopbackSiteError(RuntimeError):
    """Production refuses to put a loopback address into a credential."""


def check_site_url() -> None:
    """In production, a credential must never carry an address only the server can reach."""
    if not current_app.config.get("REFUSE_LOOPBACK_SITE_URL"):
        return
    for url in (identity.site_url(), identity.issuer_id()):
        if identity.is_loopback_url(url):
            raise LoopbackSiteError(
                f"SITE_URL/ISSUER_URL {url} is a loopback address: set the public address "
                "(SITE_URL, ISSUER_URL) before issuing certificates."
            )


def sign_certificate(certificate: Certificate) -> dict:
    """The signed credential for ``certificate`` (its code, snapshot and issue date set).

    Gives the certificate a status-list index first if it has none.
    """
    check_site_url()
    if certificate.status_index is None:
        certificate.status_index = status_list.next_index()
    with force_locale("vi"):  # the credential is a Vietnamese document, whoever asks
        unsigned = build_credential(
            certificate,
            site_url=identity.site_url(),
            framework_url=identity.framework_url(),
            issuer_id=identity.issuer_id(),
            status_list_url=identity.status_list_url(),
            image_url=identity.badge_image_url(),
        )
    return sign_document(
        unsigned,
        identity.platform_key(),
        identity.verification_method(),
        iso_utc(certificate.issued_at),
    )


def published_documents() -> dict[str, dict]:
    """What this server publishes (key documents, status list), by URL, so checking one
    of our credentials here needs no network."""
    documents = {identity.issuer_id(): identity.issuer_document()}
    for controller in identity.legacy_issuer_ids():
        documents[controller] = identity.legacy_issuer_document(controller)
    documents[identity.status_list_url()] = status_list.status_list_credential()
    return documents


MAX_CREDENTIAL_BYTES = 256 * 1024  # ours are ~6 KB; anything far larger is not one


def check_credential_bytes(raw: bytes) -> Verification:
    """Check an uploaded credential against what this server publishes (no network)."""
    if len(raw) > MAX_CREDENTIAL_BYTES:
        return Verification([_("Tệp quá lớn (hơn %(kb)d KB): đó không phải chứng nhận số của "
                               "Cùng Học Số.", kb=MAX_CREDENTIAL_BYTES // 1024)])  # fmt: skip
    try:
        credential = parse_json(raw)
    except ValueError as error:
        return Verification([str(error)])
    documents = published_documents()
    issuer = credential.get("issuer") if isinstance(credential, dict) else None
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(credential, dict) and issuer_id not in documents:
        return Verification(
            [_("Chứng nhận này không do Cùng Học Số cấp (đơn vị cấp: %(issuer)s); trang này "
               "chỉ kiểm tra chứng nhận của Cùng Học Số.", issuer=issuer_id)],
            issuer=issuer_id if isinstance(issuer_id, str) else None,
        )  # fmt: skip
    return verify(credential, documents=document_source(documents, fetch=None))
