"""The events other features record in the security log: certificate downloads and
revocations, report exports — each with who, what, whom and which school."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import audit
from app.certificates import services
from app.extensions import db
from app.models import AuditEvent
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    VNEID,
    certificate_files,
    relative,
    session,
)


@pytest.fixture
def grandma_certificate(org):
    grandma = relative(org.student)
    [certificate] = services.issue_for_session(
        session(org.student, grandma, VNEID, reviewer=org.teacher)
    ).issued
    db.session.commit()
    return certificate


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_certificate_downloads_are_logged_and_refusals_too(client, auth, org, grandma_certificate):
    auth.login("gv-ha")
    assert client.get(f"/certificates/{grandma_certificate.id}/pdf").status_code == 200
    assert client.get(f"/certificates/{grandma_certificate.id}/credential.json").status_code == 200
    downloads = _events(audit.actions.DOWNLOAD)
    assert [e.detail["file"] for e in downloads] == ["pdf", "credential"]
    assert {(e.actor_id, e.target_type, e.target_id, e.school_id) for e in downloads} == {
        (org.teacher.id, "certificates", grandma_certificate.id, org.school.id)
    }
    auth.logout()
    auth.login("gv-khac")
    assert client.get(f"/certificates/{grandma_certificate.id}/pdf").status_code == 403
    assert len(_events(audit.actions.DOWNLOAD)) == 2
    (denied,) = _events(audit.actions.ACCESS_DENIED)
    assert denied.actor_id == org.other_teacher.id


def test_revocation_is_logged_with_the_admin(client, auth, org, grandma_certificate):
    auth.login("bgh-hai")
    response = client.post(
        f"/certificates/{grandma_certificate.id}/revoke", data={"reason": "Cấp nhầm người"}
    )
    assert response.status_code == 302
    (event,) = _events(audit.actions.CERTIFICATE_REVOKED)
    assert (event.actor_id, event.target_id, event.school_id) == (
        org.school_admin.id,
        grandma_certificate.id,
        org.school.id,
    )
    assert "Cấp nhầm" not in str(event.detail)  # the reason stays private


def test_report_exports_are_logged(client, auth, org):
    auth.login("bgh-hai")
    response = client.get("/reports/school/export.csv")
    assert response.status_code == 200
    (event,) = _events(audit.actions.EXPORT)
    assert event.actor_id == org.school_admin.id and event.school_id == org.school.id
    assert event.detail["format"] == "csv"
