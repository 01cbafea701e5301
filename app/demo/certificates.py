"""Demo certificates: whatever the demo sessions and progress have earned.

The guided demo confirms sessions for demo-student's grandmother (guided by her sibling in
8A1) and for the relatives of three 6A1 classmates; this issues their certificates
through the same rules as production, so running it twice issues nothing new. When
demo-teacher confirms demo-student's pending session, the grandmother's second task
brings her combined certificate.
"""

from __future__ import annotations

from flask_babel import force_locale

from app.certificates.services import issue_pending_certificates


def load(context: dict) -> None:
    with force_locale("vi"):  # run from the CLI: no request to take a language from
        report = issue_pending_certificates()
    context["certificates"] = report.issued
