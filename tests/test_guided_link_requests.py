"""Joining a relative someone else registered is a request the family approves.

Reproduces the takeover from issue 11 (a student of another class posts a classmate's
grandmother's name with ``same_as``, trying birth years from 1940) and shows that it
fails; and that the legitimate sibling flow works once the family approves.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.audit import actions
from app.certificates import services as certificate_services
from app.extensions import db
from app.guided import review
from app.models import (
    AuditEvent,
    ClaimCode,
    LinkRequestStatus,
    ParentLink,
    RelativeLink,
    RelativeLinkRequest,
    Role,
    User,
)
from tests.certificates_support import certificate_files  # noqa: F401 - autouse fixture
from tests.guided_support import register, run_session

PHONE = "0912345678"


def _form(birth_year: int, same_as: int | str | None = None, **fields) -> dict:
    data = {
        "full_name": "Nguyễn Thị Lan",
        "relation": "bà nội",
        "birth_year": str(birth_year),
        "phone": "",
        "consent": "y",
        "consent_on": date.today().isoformat(),
        "parent_informed": "y",
        "parent_informed_on": date.today().isoformat(),
    }
    if same_as is not None:
        data["same_as"] = str(same_as)
    data.update(fields)
    return data


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def family(app, make, org):
    """Bà Lan, registered by An (6A1) with her phone, with a confirmed, certified session;
    Khoa, a student of another class (6A2) of the same school, is the attacker."""
    other_class = make.classroom(org.school, make.user(Role.TEACHER, org.school,
                                 username="gv-tuan"), name="6A2")  # fmt: skip
    attacker = make.user(Role.STUDENT, org.school, username="hs-khoa", full_name="Vũ Đăng Khoa")
    make.enrol(attacker, other_class)
    with app.test_request_context():
        lan = register(org.student, phone=PHONE).relative
        session = run_session(org.student, lan.id)
        review.confirm(session, org.teacher, None, session.version)
        certificate_services.issue_for_session(session)
    return lan, attacker, session


def _login(client, username):
    client.post("/logout")
    client.post("/login", data={"username": username, "password": "correct-horse-battery"})


def _sees_nothing_of_her(client, lan, session) -> None:
    assert client.get(f"/guided/relatives/{lan.id}").status_code == 404
    assert client.get(f"/guided/relatives/{lan.id}/edit").status_code == 404
    assert client.post(f"/guided/relatives/{lan.id}/claim-code").status_code == 404
    assert client.get(f"/guided/sessions/{session.id}").status_code in (403, 404)
    for page in ("/guided/", "/certificates/", "/guided/sessions/new"):
        html = client.get(page).get_data(as_text=True)
        assert PHONE not in html and PHONE[-3:] not in html
        assert f"/guided/relatives/{lan.id}" not in html
    certificates = client.get("/certificates/").get_data(as_text=True)
    assert "Nguyễn Thị Lan" not in certificates
    assert _count(ClaimCode) == 0


def test_guessing_birth_years_from_1940_is_stopped_after_ten_tries(client, family):
    lan, attacker, session = family
    _login(client, "hs-khoa")
    statuses = []
    for year in range(1940, 1961):
        statuses.append(
            client.post("/guided/relatives/new", data=_form(year, same_as=lan.id)).status_code
        )
    assert statuses[:10] == [200] * 10  # "no matching relative" each time
    assert set(statuses[10:]) == {429}  # 1950 onwards: refused before reaching 1956
    _login(client, "hs-khoa")  # signing in again does not give a fresh budget
    assert client.post("/guided/relatives/new", data=_form(1956, same_as=lan.id)).status_code == 429
    assert _count(RelativeLinkRequest) == 0
    assert _count(RelativeLink, RelativeLink.student_id == attacker.id) == 0
    logged = AuditEvent.action == actions.RELATIVE_MATCH_ATTEMPT
    assert _count(AuditEvent, logged, AuditEvent.actor_id == attacker.id) == 10
    _sees_nothing_of_her(client, lan, session)


def test_a_right_guess_is_only_a_request_and_shows_nothing(app, client, family, monkeypatch):
    lan, attacker, session = family
    monkeypatch.setitem(app.config, "GUIDED_MATCH_RATE_LIMIT", "100 per hour")
    _login(client, "hs-khoa")
    for year in range(1940, 1957):
        response = client.post("/guided/relatives/new", data=_form(year, same_as=lan.id))
    assert response.status_code == 302  # 1956: the request is sent …
    [request] = db.session.scalars(sa.select(RelativeLinkRequest)).all()
    assert request.status == LinkRequestStatus.PENDING and request.student_id == attacker.id
    requested = AuditEvent.action == actions.RELATIVE_LINK_REQUESTED
    assert _count(AuditEvent, requested, AuditEvent.target_id == lan.id) == 1
    _sees_nothing_of_her(client, lan, session)  # … and gives him nothing
    page = client.get("/guided/").get_data(as_text=True)
    assert "Đang chờ gia đình hoặc thầy cô đồng ý" in page
    # He cannot approve his own request; the family refuses it.
    assert client.post(f"/guided/link-requests/{request.id}",
                       data={"decision": "approve"}).status_code == 404  # fmt: skip
    _login(client, "hs-an")
    page = client.get("/guided/").get_data(as_text=True)
    assert "Vũ Đăng Khoa" in page and "Yêu cầu chờ em đồng ý" in page
    response = client.post(f"/guided/link-requests/{request.id}", data={"decision": "refuse"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RelativeLinkRequest, request.id).status == LinkRequestStatus.REFUSED
    _login(client, "hs-khoa")
    _sees_nothing_of_her(client, lan, session)


def test_a_claim_made_while_a_request_waits_links_only_approved_students(app, client, family, org):
    lan, attacker, session = family
    with app.test_request_context():
        from app.guided import link_requests
        from tests.guided_support import relative_input

        link_requests.request_link(attacker, relative_input(), lan.id)
    _login(client, "hs-an")
    html = client.post(f"/guided/relatives/{lan.id}/claim-code").get_data(as_text=True)
    code = re.search(r'class="claim-code"[^>]*>([\d-]+)<', html).group(1)
    client.post("/logout")
    client.post("/guided/claim", data={"code": code, "username": "ba.lan", "password":
                "mat-khau-ba-lan", "confirm": "mat-khau-ba-lan"})  # fmt: skip
    home = client.get("/family/").get_data(as_text=True)
    assert "Trần Minh An" in home and "Vũ Đăng Khoa" not in home
    parent = db.session.scalar(sa.select(User).where(User.username == "ba.lan"))
    assert db.session.scalars(
        sa.select(ParentLink.student_id).where(ParentLink.parent_id == parent.id)
    ).all() == [org.student.id]


@pytest.mark.parametrize("decider", ["hs-chi", "gv-tuan", "gv-khac", "bgh-khac", "hs-khac"])
def test_nobody_else_decides_a_request(app, client, family, decider):
    lan, attacker, _ = family
    with app.test_request_context():
        from app.guided import link_requests
        from tests.guided_support import relative_input

        request = link_requests.request_link(attacker, relative_input(), lan.id)
    _login(client, decider)
    response = client.post(f"/guided/link-requests/{request.id}", data={"decision": "approve"})
    assert response.status_code in (403, 404)
    assert _count(RelativeLink, RelativeLink.student_id == attacker.id) == 0
    db.session.expire_all()
    assert db.session.get(RelativeLinkRequest, request.id).status == LinkRequestStatus.PENDING


def test_the_sibling_flow_works_after_the_teacher_approves(app, client, family, org):
    lan, _, session = family
    _login(client, "hs-chi")
    match = client.post("/guided/relatives/new", data=_form(1956, full_name="nguyen thi lan"))
    html = match.get_data(as_text=True)
    assert "Có phải cùng một người?" in html and "6A1" in html and PHONE[-3:] not in html
    client.post("/guided/relatives/new", data=_form(1956, same_as=lan.id,
                full_name="nguyen thi lan", relation="bà ngoại"))  # fmt: skip
    assert client.get(f"/guided/relatives/{lan.id}").status_code == 404
    request_id = db.session.scalar(sa.select(RelativeLinkRequest.id))

    _login(client, "gv-ha")  # An's homeroom teacher sees it on the class page
    page = client.get(f"/guided/classes/{org.classroom.id}/relatives").get_data(as_text=True)
    assert "Phạm Ngọc Chi xin cùng hướng dẫn Nguyễn Thị Lan" in page
    response = client.post(f"/guided/link-requests/{request_id}", data={"decision": "approve"})
    assert response.status_code == 302
    again = client.post(f"/guided/link-requests/{request_id}", data={"decision": "refuse"})
    assert again.status_code == 409
    assert "đã được xử lý rồi" in again.get_data(as_text=True)

    _login(client, "hs-chi")
    detail = client.get(f"/guided/relatives/{lan.id}")
    assert detail.status_code == 200 and PHONE in detail.get_data(as_text=True)
    assert "Nguyễn Thị Lan" in client.get("/certificates/").get_data(as_text=True)
    issued = client.post(f"/guided/relatives/{lan.id}/claim-code")
    assert re.search(r'class="claim-code"[^>]*>\d{4}-\d{4}-\d{4}<', issued.get_data(as_text=True))
    mine = sa.select(RelativeLink).where(RelativeLink.student_id == org.classmate.id)
    assert db.session.scalar(mine).relation == "bà ngoại"


def test_the_teacher_issues_a_claim_code_for_a_relative_of_the_class(client, family, org):
    lan, _, _ = family
    _login(client, "gv-tuan")  # another class's teacher: not hers
    assert client.post(f"/guided/classes/relatives/{lan.id}/claim-code").status_code == 404
    _login(client, "gv-ha")
    response = client.post(f"/guided/classes/relatives/{lan.id}/claim-code")
    assert response.status_code == 200
    assert re.search(r'class="claim-code"[^>]*>\d{4}-\d{4}-\d{4}<', response.get_data(as_text=True))
    assert db.session.scalar(sa.select(ClaimCode.created_by_id)) == org.teacher.id
