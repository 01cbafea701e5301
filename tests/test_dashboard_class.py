"""The homeroom teacher's class dashboard, grid and student detail, as a teacher sees them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role
from tests import factories
from tests.test_reports_fixtures import build_world, complete_level, train


@pytest.fixture
def world(app):
    return build_world()


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/teach/students/\d+">([^<]+)</a>', html)


def test_dashboard_lists_each_student_with_figures_and_flags(client, auth, world):
    auth.login("gv-lan")
    html = client.get(f"/teach/classes/{world.class_6a1.id}").get_data(as_text=True)
    # by given name, as Vietnamese class lists are: An, Bình, Chi, Dũng
    assert _names_in_order(html) == [
        "Trần Minh An", "Lê Văn Bình", "Phạm Ngọc Chi", "Hoàng Đức Dũng",
    ]  # fmt: skip
    assert "cần giúp đỡ" in html and "chưa hoạt động" in html
    # the summary: 4 students, 1 of 4 achieved, 2 relatives trained (R2 is pending)
    assert re.search(r'<span class="big">1/4</span>', html)
    assert re.search(r'<span class="big">2</span> người thân', html)
    assert f'href="/teach/students/{world.students["hs-an"].id}"' in html


def test_sorting_is_done_on_the_server_and_announced(client, auth, world):
    auth.login("gv-lan")
    url = f"/teach/classes/{world.class_6a1.id}"
    html = client.get(url + "?sort=relatives&order=desc").get_data(as_text=True)
    names = _names_in_order(html)
    assert names == ["Trần Minh An", "Phạm Ngọc Chi", "Lê Văn Bình", "Hoàng Đức Dũng"]
    assert 'aria-sort="descending"' in html
    assert html.count("aria-sort=") == 1
    html = client.get(url + "?sort=lessons&order=asc").get_data(as_text=True)
    assert _names_in_order(html) == [
        "Phạm Ngọc Chi", "Hoàng Đức Dũng", "Trần Minh An", "Lê Văn Bình",
    ]  # fmt: skip
    assert 'aria-sort="ascending"' in html
    # an unknown sort key falls back to names, never a 500
    response = client.get(url + "?sort=%3Cscript%3E&order=sideways")
    assert response.status_code == 200
    assert _names_in_order(response.get_data(as_text=True))[0] == "Trần Minh An"


def test_student_detail_shows_progress_but_no_relative_names(client, auth, world):
    auth.login("gv-lan")
    html = client.get(f"/teach/students/{world.students['hs-chi'].id}").get_data(as_text=True)
    assert "Phạm Ngọc Chi" in html
    assert "Phạm Thị Bảy" not in html  # the relative Chi trained is counted, not named
    assert re.search(r'<span class="big">1</span> người thân', html)
    html = client.get(f"/teach/students/{world.students['hs-dung'].id}").get_data(as_text=True)
    assert "cần giúp đỡ" in html and "Tìm kiếm" in html  # the quiz he is stuck on, by title
    assert "Đặt lại mật khẩu" in html


def test_competence_grid_page(client, auth, world):
    auth.login("gv-lan")
    html = client.get(f"/teach/classes/{world.class_6a1.id}/competences").get_data(as_text=True)
    assert "Năng lực × học sinh" in html
    assert "2/4" in html  # each competence held by An and Bình
    assert "Mọi năng lực đều có ít nhất một nửa lớp đạt." in html


def test_teacher_sees_only_their_own_classes_and_students(client, auth, world):
    auth.login("gv-minh")  # homeroom teacher of 8A1 only
    assert client.get(f"/teach/classes/{world.class_8a1.id}").status_code == 200
    assert client.get(f"/teach/classes/{world.class_6a1.id}").status_code == 403
    assert client.get(f"/teach/classes/{world.class_6a1.id}/competences").status_code == 403
    assert client.get(f"/teach/students/{world.students['hs-an'].id}").status_code == 403
    assert client.get(f"/teach/students/{world.students['hs-giang'].id}").status_code == 200
    assert client.get("/teach/classes/999999").status_code == 404
    assert client.get("/teach/students/999999").status_code == 404


def test_school_admin_sees_classes_of_their_school_only(client, auth, world):
    auth.login("bgh-a")
    assert client.get(f"/teach/classes/{world.class_6a1.id}").status_code == 200
    assert client.get(f"/teach/classes/{world.other_class.id}").status_code == 403
    assert client.get(f"/teach/students/{world.students['hs-huy'].id}").status_code == 403


def _count_queries(app, client, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.expire_all()  # as in production, where each request starts afresh
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def _class_of(size: int, teacher, school):
    classroom = factories.classroom(school, teacher, name=f"7A{size}", grade=7)
    for n in range(size):
        student = factories.user(Role.STUDENT, school, full_name=f"Học Sinh {size}-{n:02d}")
        factories.enrol(student, classroom)
        if n % 2:
            complete_level(student, "TC1")
        if n % 3 == 0:
            train(student, f"Người Thân {size}-{n}", ["nt-nhan-biet-lua-dao"])
    return classroom


@pytest.mark.parametrize("page", ["", "/competences"], ids=["dashboard", "grid"])
def test_query_count_does_not_grow_with_class_size(app, client, auth, make, page):
    school = make.school()
    teacher = make.user(Role.TEACHER, school, username="gv-dem")
    small, large = _class_of(5, teacher, school), _class_of(40, teacher, school)
    auth.login("gv-dem")
    client.get(f"/teach/classes/{small.id}{page}")  # warm caches (content rules, session)
    queries_small = _count_queries(app, client, f"/teach/classes/{small.id}{page}")
    queries_large = _count_queries(app, client, f"/teach/classes/{large.id}{page}")
    assert queries_large == queries_small
    assert queries_small <= 15
