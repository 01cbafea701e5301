"""Registering relatives: input checks, recognising one person registered twice, who sees whom."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.guided.exceptions import RelativeError
from app.guided.relatives import (
    class_relatives,
    find_matches,
    name_key,
    normalise_phone,
)
from app.models import Relative, RelativeLink, RelativeLinkRequest
from tests.guided_support import register, relative_input, run_session


def _form(**fields) -> dict:
    data = {
        "full_name": "Nguyễn Thị Lan",
        "relation": "bà nội",
        "birth_year": "1956",
        "phone": "",
        "consent": "y",
        "consent_on": date.today().isoformat(),
        "parent_informed": "y",
        "parent_informed_on": date.today().isoformat(),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0386-123-456", "0386123456"),
        ("024 3825 1234", "02438251234"),
    ],
)
def test_vietnamese_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0112345678", "09123456789", "phone", "+1 202 555 0100"])
def test_other_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


def test_names_match_whatever_the_case_diacritics_and_spaces():
    assert name_key("  Nguyễn  Thị LAN ") == name_key("nguyen thi lan") == "nguyen thi lan"
    assert name_key("Đặng Văn Đức") == "dang van duc"


def test_a_student_registers_a_relative_with_consent(client, auth, org):
    auth.login("hs-an")
    response = client.post(
        "/guided/relatives/new", data=_form(full_name="  Nguyễn   Thị Lan ", phone="0912 345 678")
    )
    link = db.session.scalar(sa.select(RelativeLink))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/guided/relatives/{link.relative_id}")
    assert link.student_id == org.student.id and link.relation == "bà nội"
    assert link.consent_on == date.today() == link.parent_informed_on
    relative = link.relative
    assert (relative.full_name, relative.birth_year, relative.phone) == (
        "Nguyễn Thị Lan",
        1956,
        "0912345678",
    )
    assert relative.school_id == org.school.id


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"full_name": ""}, "Hãy nhập họ và tên người thân."),
        ({"birth_year": "19x6"}, "Năm sinh là 4 chữ số"),
        ({"birth_year": "1890"}, "Năm sinh cần từ 1920 đến"),
        ({"birth_year": str(date.today().year - 5)}, "Năm sinh cần từ 1920 đến"),
        ({"phone": "12345"}, "Số điện thoại chưa đúng"),
        ({"consent": None}, "được người thân đồng ý"),
        ({"parent_informed": None}, "báo cho bố mẹ"),
        ({"consent_on": (date.today() + timedelta(days=3)).isoformat()}, "Ngày này chưa đến"),
        ({"relation": "hàng xóm"}, "Lựa chọn không hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, auth, org, fields, message):
    auth.login("hs-an")
    response = client.post("/guided/relatives/new", data=_form(**fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(Relative) == 0


def test_a_sibling_is_shown_the_match_and_links_to_the_same_person(client, auth, org):
    with client.application.test_request_context():
        first = register(org.student, phone="0912345678")
    auth.login("hs-chi")
    page = client.post("/guided/relatives/new", data=_form(full_name="nguyen thi lan"))
    html = page.get_data(as_text=True)
    assert "Có phải cùng một người?" in html
    assert "678" not in html  # not even the end of her number before approval
    assert "Trần Minh An" not in html  # who registered her is not shown
    response = client.post(
        "/guided/relatives/new",
        data=_form(full_name="nguyen thi lan", same_as=str(first.relative_id)),
    )
    assert response.status_code == 302
    assert _count(Relative) == 1
    assert _count(RelativeLink) == 1  # a request, not a link, until the family approves
    auth.logout()
    auth.login("hs-an")
    [request_id] = db.session.scalars(sa.select(RelativeLinkRequest.id)).all()
    client.post(f"/guided/link-requests/{request_id}", data={"decision": "approve"})
    links = db.session.scalars(sa.select(RelativeLink).order_by(RelativeLink.id)).all()
    assert [(link.student_id, link.relative_id) for link in links] == [
        (org.student.id, first.relative_id),
        (org.classmate.id, first.relative_id),
    ]


def test_a_student_can_say_it_is_someone_else(client, auth, org):
    with client.application.test_request_context():
        register(org.student)
    auth.login("hs-chi")
    client.post("/guided/relatives/new", data=_form(same_as="new"))
    assert _count(Relative) == 2


def test_different_phones_or_years_or_schools_are_not_a_match(app, org):
    with app.test_request_context():
        register(org.student, phone="0912345678")
        assert find_matches(org.classmate, relative_input(phone="0987654321")) == []
        assert find_matches(org.classmate, relative_input(birth_year=1957)) == []
        assert find_matches(org.other_student, relative_input()) == []  # another school
        assert len(find_matches(org.classmate, relative_input(phone=None))) == 1


def test_a_posted_relative_id_that_is_not_a_match_is_refused(app, org):
    with app.test_request_context():
        other = register(org.student, full_name="Trần Văn Bảy", birth_year=1950)
        with pytest.raises(RelativeError):
            register(org.classmate, same_as_id=other.relative_id)  # name differs
        mine = register(org.student, full_name="Lê Thị Mơ", birth_year=1961)
        with pytest.raises(RelativeError, match="đăng ký người thân này rồi"):
            register(org.student, same_as_id=mine.relative_id, full_name="Lê Thị Mơ",
                     birth_year=1961)  # fmt: skip
    assert _count(RelativeLink) == 2
    assert _count(RelativeLinkRequest) == 0


def test_a_student_sees_and_edits_only_their_own_relatives(client, auth, org):
    with client.application.test_request_context():
        mine = register(org.student, full_name="Nguyễn Thị Lan")
        theirs = register(org.classmate, full_name="Phạm Văn Tâm", birth_year=1950)
    auth.login("hs-an")
    page = client.get("/guided/").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Phạm Văn Tâm" not in page
    assert client.get(f"/guided/relatives/{theirs.relative_id}").status_code == 404
    assert client.get(f"/guided/relatives/{theirs.relative_id}/edit").status_code == 404
    response = client.post(
        f"/guided/relatives/{theirs.relative_id}/edit", data=_form(full_name="Đổi tên")
    )
    assert response.status_code == 404
    assert db.session.get(Relative, theirs.relative_id).full_name == "Phạm Văn Tâm"
    response = client.post(
        f"/guided/relatives/{mine.relative_id}/edit",
        data=_form(full_name="Nguyễn Thị Lan", birth_year="1955", relation="bà ngoại"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    link = db.session.get(RelativeLink, mine.id)
    assert (link.relative.birth_year, link.relation) == (1955, "bà ngoại")


def test_the_teacher_sees_the_relatives_of_their_class_only(client, auth, org):
    with client.application.test_request_context():
        register(org.student, full_name="Nguyễn Thị Lan", phone="0912345678")
        register(org.other_student, full_name="Hoàng Văn Lực", birth_year=1949)
    auth.login("gv-ha")
    page = client.get("/guided/classes/relatives").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "0912345678" in page and "Trần Minh An" in page
    assert "Hoàng Văn Lực" not in page
    assert client.get(f"/guided/classes/{org.other_classroom.id}/relatives").status_code == 404
    auth.logout()
    auth.login("gv-khac")
    page = client.get(f"/guided/classes/{org.other_classroom.id}/relatives")
    assert "Hoàng Văn Lực" in page.get_data(as_text=True)
    assert "Nguyễn Thị Lan" not in page.get_data(as_text=True)


def test_the_school_admin_sees_their_schools_classes_only(client, auth, org):
    with client.application.test_request_context():
        register(org.student)
    auth.login("bgh-khac")
    assert client.get(f"/guided/classes/{org.classroom.id}/relatives").status_code == 404
    auth.logout()
    auth.login("bgh-hai")
    page = client.get(f"/guided/classes/{org.classroom.id}/relatives").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page


def test_the_class_view_lists_what_each_relative_can_do(app, org):
    with app.test_request_context():
        link = register(org.student)
        run_session(org.student, link.relative_id)
        rows = class_relatives(org.classroom)
    assert [(r.student.id, r.link.id) for r in rows] == [(org.student.id, link.id)]
    assert [(a.walkthrough_id, a.confirmed) for a in rows[0].achievements] == [
        ("nt-goi-video-zalo", False)
    ]


def test_the_class_view_links_each_task_to_its_session_for_review(client, auth, org):
    with client.application.test_request_context():
        link = register(org.student)
        session = run_session(org.student, link.relative_id)
    auth.login("gv-ha")
    html = client.get(f"/guided/classes/{org.classroom.id}/relatives").get_data(as_text=True)
    assert f"/guided/review/{session.id}" in html
