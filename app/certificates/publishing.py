"""Signing a certificate's credential with the platform's current identity.

Used when a certificate is issued and by ``flask certificates reissue`` (which re-signs
a stored credential, keeping its code and dates). Nothing here commits.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from app.certificates import identity, status_list
from app.certificates.credentials import build_credential, iso_utc
from app.certificates.signing import sign_document
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
