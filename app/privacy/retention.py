"""How long personal data is kept without activity, one setting each."""

from __future__ import annotations

from flask import current_app

DEFAULT_PHONE_DAYS = 365
DEFAULT_CLAIM_CODE_DAYS = 30


def phone_days() -> int:
    """A relative's phone number goes after this many days without any activity."""
    return int(current_app.config.get("PRIVACY_PHONE_RETENTION_DAYS", DEFAULT_PHONE_DAYS))


def claim_code_days() -> int:
    """An unused claim code is deleted this many days after it was issued."""
    return int(current_app.config.get("PRIVACY_CLAIM_CODE_RETENTION_DAYS", DEFAULT_CLAIM_CODE_DAYS))
