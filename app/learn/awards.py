"""Certificates follow learning at once: a learner who passes the last required quiz of a
path (or of a whole domain at their level) holds the certificate on the next page.

Called after the progress is committed, so the progress stands whatever happens here; if
issuing fails, it is logged and ``flask certificates issue`` catches up later. A
certificate a school admin revoked is not issued again (``app.certificates.lifecycle``).
"""

from __future__ import annotations

import logging

from app.extensions import db
from app.models.users import User

log = logging.getLogger(__name__)


def award_certificates(user: User) -> list:
    """Issue the path and domain certificates ``user`` has just earned; commits.

    Returns the certificates issued (an empty list when none, or when issuing failed)."""
    # Imported here: app.certificates.learners reads app.learn.progress_rules, and importing
    # the app.learn package loads its routes, which reach this module.
    from app.certificates.learners import issue_for_user

    try:
        report = issue_for_user(user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Certificates for learner %s not issued", user.id)
        return []
    return report.issued
