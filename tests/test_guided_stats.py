"""Counts for reports: confirmed sessions only, each relative once. Expected values by hand."""

from __future__ import annotations

import pytest

from app.guided import review
from app.guided.stats import (
    confirmed_relatives_by_classroom,
    confirmed_relatives_by_school,
    confirmed_relatives_by_student,
)
from tests.guided_support import OTHER_WALKTHROUGH, register, run_session


@pytest.fixture
def world(app, org):
    """
    School 1, class 6A1: An and Chi are siblings.
      - grandmother Lan, registered by both: An's session confirmed, Chi's session
        (another task) confirmed too → Lan counts once for the school and the class.
      - An's grandfather Tâm: passed but still pending → not counted.
      - Chi's mother Hoa: passed, then rejected → not counted.
      - Chi's uncle Bảy: not yet (failed) → not counted.
    School 2: Huy's grandmother Lực: confirmed.
    """
    with app.test_request_context():
        lan = register(org.student, full_name="Nguyễn Thị Lan").relative_id
        register(org.classmate, same_as_id=lan, full_name="Nguyễn Thị Lan")
        tam = register(org.student, full_name="Phạm Văn Tâm", birth_year=1950).relative_id
        hoa = register(org.classmate, full_name="Lê Thị Hoa", birth_year=1980).relative_id
        bay = register(org.classmate, full_name="Trần Văn Bảy", birth_year=1962).relative_id
        luc = register(org.other_student, full_name="Hoàng Văn Lực", birth_year=1949).relative_id

        def confirmed(student, relative_id, walkthrough="nt-goi-video-zalo"):
            session = run_session(student, relative_id, walkthrough)
            review.confirm(session, org.teacher, None, session.version)

        confirmed(org.student, lan)
        confirmed(org.classmate, lan, OTHER_WALKTHROUGH)
        confirmed(org.student, lan, OTHER_WALKTHROUGH)  # a second task, same person
        run_session(org.student, tam)  # pending
        rejected = run_session(org.classmate, hoa)
        review.reject(rejected, org.teacher, "Chưa học thật", rejected.version)
        run_session(org.classmate, bay, wrong=4)  # not yet
        confirmed(org.other_student, luc)
    return org


def test_by_student(world):
    org = world
    counts = confirmed_relatives_by_student(
        [org.student.id, org.classmate.id, org.other_student.id, org.teacher.id]
    )
    assert counts == {
        org.student.id: 1,  # Lan (twice, two tasks) — Tâm is pending
        org.classmate.id: 1,  # Lan — Hoa rejected, Bảy not yet
        org.other_student.id: 1,  # Lực
        org.teacher.id: 0,
    }


def test_by_school_counts_a_shared_grandmother_once(world):
    org = world
    assert confirmed_relatives_by_school([org.school.id, org.other_school.id]) == {
        org.school.id: 1,
        org.other_school.id: 1,
    }


def test_by_classroom(world):
    org = world
    assert confirmed_relatives_by_classroom([org.classroom.id, org.other_classroom.id]) == {
        org.classroom.id: 1,
        org.other_classroom.id: 1,
    }


def test_confirming_the_pending_one_adds_it(world, app):
    org = world
    with app.test_request_context():
        for session in review.review_queue(org.teacher):
            review.confirm(session, org.teacher, None, session.version)
    assert confirmed_relatives_by_student([org.student.id]) == {org.student.id: 2}
    assert confirmed_relatives_by_school([org.school.id]) == {org.school.id: 2}


def test_empty_input_gives_an_empty_result(app):
    assert confirmed_relatives_by_student([]) == {}
    assert confirmed_relatives_by_school(()) == {}
