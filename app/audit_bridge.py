"""Until the security log (``app.audit.record``) is on main, its calls land here.

Same signature as ``app.audit.record``; once that module exists every call goes to it
and this file is deleted. Until then the event goes to the application log only.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

CLAIM_ATTEMPT = "guided.claim_attempt"
CLAIM_SUCCEEDED = "guided.claim_succeeded"
CLAIM_CODE_ISSUED = "guided.claim_code_issued"
RELATIVE_LINK_REQUESTED = "guided.relative_link_requested"
RELATIVE_LINK_DECIDED = "guided.relative_link_decided"
RELATIVE_MATCH_ATTEMPT = "guided.relative_match_attempt"
CONSENT_WITHDRAWN = "privacy.consent_withdrawn"
DELETION_REQUESTED = "privacy.deletion_requested"
DELETION_DECIDED = "privacy.deletion_decided"
DOWNLOAD = "data.download"


def record(action: str, **fields: Any) -> None:
    try:
        from app.audit import record as audit_record  # type: ignore[import-not-found]
    except ImportError:
        current_app.logger.info("security event %s %s", action, fields.get("detail") or "")
        return
    audit_record(action, **fields)
