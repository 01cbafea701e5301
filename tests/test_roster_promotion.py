"""Moving up a grade at the start of a school year, without losing history."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Classroom, Enrollment, LessonProgress, LessonStatus, Role, User
from app.models.org import school_year_for
from app.roster.promotion import next_year

THIS_YEAR = school_year_for(date.today())
LAST_YEAR = f"{int(THIS_YEAR[:4]) - 1}-{THIS_YEAR[:4]}"
PROMOTE = "/school/roster/promote"


@pytest.fixture
def school(org, make, auth):
    """Last year's classes 6A1, 8A2 and 9A1 with students; the admin is signed in."""
    s = org.school
    teacher = org.teacher
    org.classroom.school_year = org.other_classroom.school_year = "2019-2020"  # out of the way
    db.session.commit()
    classes = {
        name: make.classroom(s, teacher if name == "6A1" else None, name=name, grade=int(name[0]),
                             school_year=LAST_YEAR)
        for name in ("6A1", "8A2", "9A1")
    }  # fmt: skip
    people = {}
    for name, classroom in classes.items():
        for n in (1, 2):
            student = make.user(Role.STUDENT, s, username=f"hs-{name.lower()}-{n}")
            make.enrol(student, classroom)
            people[f"{name}-{n}"] = student
    auth.login("bgh-hai")
    return {"classes": classes, "people": people, "teacher": teacher, "school": s}


def classes_in(year: str) -> dict[str, Classroom]:
    return {
        c.name: c
        for c in db.session.scalars(sa.select(Classroom).where(Classroom.school_year == year))
    }


def enrolled(year: str) -> dict[str, str]:
    rows = db.session.execute(
        sa.select(User.username, Classroom.name)
        .join(Enrollment, Enrollment.student_id == User.id)
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .where(Classroom.school_year == year)
    )
    return dict(rows.all())


def promote(client, keep: str = "1", year: str = LAST_YEAR):
    return client.post(PROMOTE, data={"from_year": year, "keep_homeroom": keep})


def test_preview_shows_the_moves_and_writes_nothing(client, school):
    html = client.get(PROMOTE).get_data(as_text=True)
    assert f"Năm học {LAST_YEAR} → {THIS_YEAR}" in html
    assert "7A1" in html and "9A2" in html
    assert "Ra trường (không vào lớp mới): 9A1." in html
    assert '<span class="count">4</span> <span class="count-label">học sinh lên lớp' in html
    assert '<span class="count">2</span> <span class="count-label">học sinh ra trường' in html
    assert classes_in(THIS_YEAR) == {}


def test_promotion_moves_students_up_and_graduates_the_last_grade(client, school):
    progress = LessonProgress(
        user_id=school["people"]["6A1-1"].id, lesson_id="an-toan-mat-khau",
        status=LessonStatus.COMPLETED,
    )  # fmt: skip
    db.session.add(progress)
    db.session.commit()
    last_year_before = enrolled(LAST_YEAR)

    response = promote(client)
    assert response.status_code == 302

    new = classes_in(THIS_YEAR)
    assert {n: c.grade for n, c in new.items()} == {"7A1": 7, "9A2": 9}
    assert new["7A1"].homeroom_teacher_id == school["teacher"].id  # follows the class
    assert new["9A2"].homeroom_teacher_id is None
    assert enrolled(THIS_YEAR) == {
        "hs-6a1-1": "7A1",
        "hs-6a1-2": "7A1",
        "hs-8a2-1": "9A2",
        "hs-8a2-2": "9A2",
    }  # fmt: skip  (grade 9 graduated: no class this year)
    assert enrolled(LAST_YEAR) == last_year_before  # history kept
    assert set(classes_in(LAST_YEAR)) == {"6A1", "8A2", "9A1"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1
    assert school["people"]["6A1-1"].current_classroom().name == "7A1"
    assert school["people"]["9A1-1"].current_classroom().name == "9A1"


def test_promoting_twice_changes_nothing(client, school):
    promote(client)
    snapshot = (enrolled(THIS_YEAR), set(classes_in(THIS_YEAR)))
    html = client.get(PROMOTE, query_string={"from_year": LAST_YEAR}).get_data(as_text=True)
    assert "Đã lên lớp xong" in html and "Xác nhận lên lớp" not in html
    promote(client)
    assert (enrolled(THIS_YEAR), set(classes_in(THIS_YEAR))) == snapshot


def test_students_already_placed_and_set_homerooms_are_left_alone(client, school, make):
    other_teacher = make.user(Role.TEACHER, school["school"], username="gv-moi")
    existing = make.classroom(school["school"], other_teacher, name="7A1", grade=7,
                              school_year=THIS_YEAR)  # fmt: skip
    repeater = make.classroom(school["school"], name="6A1", grade=6, school_year=THIS_YEAR)
    make.enrol(school["people"]["6A1-2"], repeater)  # kept down a year by the school
    promote(client)
    assert enrolled(THIS_YEAR)["hs-6a1-1"] == "7A1"
    assert enrolled(THIS_YEAR)["hs-6a1-2"] == "6A1"
    db.session.refresh(existing)
    assert existing.homeroom_teacher_id == other_teacher.id


def test_homeroom_teachers_can_stay_behind(client, school):
    promote(client, keep="0")
    assert classes_in(THIS_YEAR)["7A1"].homeroom_teacher_id is None


def test_inactive_students_are_not_moved_up(client, school):
    school["people"]["6A1-1"].active = False
    db.session.commit()
    promote(client)
    assert "hs-6a1-1" not in enrolled(THIS_YEAR)


def test_only_recent_years_can_be_promoted(client, school):
    assert promote(client, year="2001-2002").status_code == 400
    assert next_year("2025-2026") == "2026-2027"


def test_promotion_is_for_school_admins(client, auth, school):
    auth.logout()
    auth.login("gv-ha")
    assert client.get(PROMOTE).status_code == 403
    assert promote(client).status_code == 403
    assert classes_in(THIS_YEAR) == {}


def test_another_schools_classes_are_not_touched(client, school, org, make):
    other = make.classroom(org.other_school, name="6A", grade=6, school_year=LAST_YEAR)
    make.enrol(org.other_student, other)
    promote(client)
    assert "7A" not in classes_in(THIS_YEAR)
    assert "hs-khac" not in enrolled(THIS_YEAR)
