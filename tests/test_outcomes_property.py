"""Property test: on random schools over two school years, the figures add up everywhere.

Each example builds a ward of one or two schools with last year's and this year's classes:
promotions, moves between classes (old enrolment ``left_on`` set + new one), students who
left or were deactivated, siblings sharing a grandparent, confirmed / pending sessions in
either year, revoked certificates and self-study parents. It then checks that a class
card equals its rows, classes add up to the school, schools to the ward, the figures
match an independent count from the plan, and the page, the export and the frozen
snapshot agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import dates
from app.content import get_content
from app.extensions import db, limiter
from app.models import (
    Certificate,
    CertificateKind,
    Classroom,
    Enrollment,
    GuidedSession,
    LessonProgress,
    LessonStatus,
    QuizResult,
    Relative,
    RelativeLink,
    ReviewStatus,
    Role,
    SessionStatus,
)
from app.models.base import utcnow
from app.models.reports import SnapshotPeriod
from app.outcomes import BY_GUIDANCE, BY_SELF_STUDY, school_outcomes, ward_aggregates
from app.reports.class_report import class_report
from app.reports.school_report import build_school_report, build_ward_report
from app.reports.services import current_school_year, export_file
from app.reports.snapshots import period_of, take_snapshot
from app.reports.tables import report_tables
from tests import factories
from tests.conftest import _empty_tables
from tests.test_reports_exports import _csv_tables, _page_tables
from tests.test_reports_fixtures import complete_level

WALKTHROUGHS = ["nt-nhan-biet-lua-dao", "nt-vneid-muc-2", "nt-dich-vu-cong", "nt-goi-video-zalo"]
GRADES = [6, 7, 8]

student_plan = st.fixed_dictionaries(
    {
        "last_year": st.sampled_from([None, 0, 1]),  # index of last year's class
        "this_year": st.sampled_from([None, 0, 1, 2]),  # this year's class
        "moved_to": st.sampled_from([None, 0, 1, 2]),  # moved within this year
        "left_days": st.sampled_from([None, -3, 0, 4]),  # left_on relative to today
        "active": st.booleans(),
        "core_done": st.booleans(),
    }
)
session_plan = st.fixed_dictionaries(
    {
        "guide": st.integers(0, 1),  # which of the linked students
        "walkthrough": st.sampled_from(WALKTHROUGHS),
        "this_year": st.booleans(),
        "confirmed": st.booleans(),
        "revoked": st.booleans(),
        "hours_ago": st.integers(1, 200),
    }
)
relative_plan = st.fixed_dictionaries(
    {
        "students": st.lists(st.integers(0, 5), min_size=1, max_size=2, unique=True),
        "sessions": st.lists(session_plan, max_size=3),
        "account_studies": st.none() | st.lists(st.sampled_from(WALKTHROUGHS[:3]), unique=True),
    }
)
parent_plan = st.fixed_dictionaries(
    {
        "student": st.integers(0, 5),
        "studies": st.lists(st.sampled_from(WALKTHROUGHS[:3]), unique=True),
        "quiz_passed": st.booleans(),
    }
)
school_plan = st.fixed_dictionaries(
    {
        "students": st.lists(student_plan, min_size=1, max_size=6),
        "relatives": st.lists(relative_plan, max_size=4),
        "parents": st.lists(parent_plan, max_size=2),
    }
)
world_plan = st.lists(school_plan, min_size=1, max_size=2)


@dataclass
class Built:
    ward: object
    schools: list
    admins: list
    this_year: str
    # independent expectations, computed from the plan, not by app.outcomes
    counted_students: dict  # school id → set of student ids
    trained: dict  # school id → set of relative ids trained this year by counted students


def _study(user, walkthroughs, quiz_passed=True):
    content = get_content()
    now = utcnow()
    for walkthrough in walkthroughs:
        lesson = content.lesson(walkthrough)
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id,
                                      status=LessonStatus.COMPLETED, completed_at=now))  # fmt: skip
        if lesson.quiz_id:
            db.session.add(QuizResult(user_id=user.id, quiz_id=lesson.quiz_id,
                                      best_score=100 if quiz_passed else 20, passed=quiz_passed,
                                      attempt_count=1, failed_count=0 if quiz_passed else 1,
                                      passed_at=now if quiz_passed else None,
                                      last_attempt_at=now))  # fmt: skip


def build(plan) -> Built:
    this_year = current_school_year()
    start = int(this_year[:4])
    last_year = f"{start - 1}-{start}"
    last_year_moment = datetime(start, 3, 10, 2, 0)  # 09:00 in Vietnam, in March
    today = dates.today()
    year_start = dates.start_of_day_utc(datetime(start, 8, 1).date()) + timedelta(hours=1)
    ward = factories.ward()
    built = Built(ward, [], [], this_year, {}, {})
    for s_index, school_plan_ in enumerate(plan):
        school = factories.school(ward, name=f"Trường THCS Số {s_index + 1}")
        built.schools.append(school)
        built.admins.append(factories.user(Role.SCHOOL_ADMIN, school))
        factories.user(Role.TEACHER, school)
        old_classes = [
            factories.classroom(school, name=f"{g}A1", grade=g, school_year=last_year)
            for g in GRADES[:2]
        ]
        new_classes = [
            factories.classroom(school, name=f"{g}A1", grade=g, school_year=this_year)
            for g in GRADES
        ]
        students = []
        counted = set()
        for p in school_plan_["students"]:
            student = factories.user(Role.STUDENT, school, active=p["active"])
            students.append(student)
            if p["last_year"] is not None:
                db.session.add(Enrollment(student_id=student.id,
                                          classroom_id=old_classes[p["last_year"]].id))  # fmt: skip
            if p["this_year"] is not None:
                left_on = None
                if p["left_days"] is not None:
                    left_on = today + timedelta(days=p["left_days"])
                db.session.add(Enrollment(student_id=student.id, left_on=left_on,
                                          classroom_id=new_classes[p["this_year"]].id))  # fmt: skip
                moved = p["moved_to"] is not None and p["moved_to"] != p["this_year"]
                if moved and left_on is not None:
                    new = new_classes[p["moved_to"]]
                    db.session.add(Enrollment(student_id=student.id, classroom_id=new.id))
                still_in = left_on is None or left_on > today or moved
                if p["active"] and still_in:
                    counted.add(student.id)
            db.session.commit()
            if p["core_done"]:
                complete_level(student, "TC1")
        built.counted_students[school.id] = counted
        trained = set()
        for r in school_plan_["relatives"]:
            linked = [students[i % len(students)] for i in r["students"]]
            linked = list({s.id: s for s in linked}.values())
            relative = Relative(school_id=school.id, full_name="Bà", birth_year=1950)
            db.session.add(relative)
            db.session.flush()
            for student in linked:
                db.session.add(RelativeLink(student_id=student.id, relative_id=relative.id,
                                            relation="bà", consent_on=today,
                                            parent_informed_on=today))  # fmt: skip
            for sp in r["sessions"]:
                guide = linked[sp["guide"] % len(linked)]
                at = (max(utcnow() - timedelta(hours=sp["hours_ago"]), year_start)
                      if sp["this_year"] else last_year_moment)  # fmt: skip
                review = ReviewStatus.CONFIRMED if sp["confirmed"] else ReviewStatus.PENDING
                session = GuidedSession(
                    student_id=guide.id, relative_id=relative.id,
                    walkthrough_id=sp["walkthrough"], walkthrough_version="t",
                    status=SessionStatus.PASSED,
                    review_status=review,
                    started_at=at - timedelta(minutes=20), finished_at=at, check_score=100,
                )  # fmt: skip
                db.session.add(session)
                db.session.flush()
                if sp["confirmed"] and sp["revoked"]:
                    db.session.add(Certificate(
                        code=f"C{session.id:027d}", kind=CertificateKind.TASK,
                        holder_relative_id=relative.id, holder_name="Bà",
                        school_id=school.id, school_name=school.name,
                        achievement_id="task", achievement_title="t", level="CB2",
                        guided_by_id=guide.id, source_session_id=session.id,
                        revoked_at=utcnow(), revoke_reason="học sinh làm hộ", credential={},
                    ))  # fmt: skip
                counts = sp["confirmed"] and not sp["revoked"] and sp["this_year"]
                if counts and guide.id in counted:
                    trained.add(relative.id)
            if r["account_studies"] is not None:
                account = factories.user(Role.PARENT, school)
                relative.account_id = account.id
                _study(account, r["account_studies"])
            db.session.commit()
        built.trained[school.id] = trained
        for p in school_plan_["parents"]:
            parent = factories.user(Role.PARENT, school)
            factories.link_parent(parent, students[p["student"] % len(students)])
            _study(parent, p["studies"], p["quiz_passed"])
            db.session.commit()
    return built


def _pairs(figure):
    return figure["achieved"], figure["total"]


def check(built: Built, client, auth) -> None:
    content = get_content()
    year = built.this_year
    school_ids = [s.id for s in built.schools]
    outcomes = school_outcomes(school_ids, year, content)
    ward = build_ward_report(built.ward, year, content)
    aggregates = ward_aggregates([built.ward.id], year, content)[built.ward.id]
    sums = {"staff": [0, 0], "students": [0, 0], "parents": [0, 0], "guided": 0, "self": 0}
    all_trained: set[int] = set()
    for index, school in enumerate(built.schools):
        outcome = outcomes[school.id]
        # independent counts from the plan
        assert {s.id for s in outcome.students} == built.counted_students[school.id]
        trained = set().union(*(c.relatives_trained for c in outcome.classes))
        assert trained == built.trained[school.id]
        assert sum(len(c.relatives_trained) for c in outcome.classes) == len(trained)
        assert not trained & all_trained  # a relative counts in one school
        all_trained |= trained
        keys = [p.key for p in outcome.parents]
        assert len(keys) == len(set(keys))  # a parent counts in one class

        report = build_school_report(school, year, content)
        groups = report["school"]["groups"]
        rows = report["school"]["classes"]
        for c, row in zip(outcome.classes, rows, strict=True):
            card = class_report(db.session.get(Classroom, c.id), content)
            # the class card equals the sum of its rows
            assert card.achieved_count == sum(
                1 for r in card.rows if r.facts.counted and r.facts.achieved
            )
            assert card.counted == sum(1 for r in card.rows if r.facts.counted)
            helped = set().union(*(r.facts.relative_ids for r in card.rows))
            assert card.outcome.relatives_trained <= helped
            # and what the school report says of the class
            assert (card.achieved_count, card.counted) == _pairs(row["students"])
            assert card.relatives_trained == row["relatives_trained"]
            assert len(card.rows) == row["size"]
        # classes add up to the school
        assert groups[1]["achieved"] == sum(r["students"]["achieved"] for r in rows)
        assert groups[1]["total"] == sum(r["students"]["total"] for r in rows)
        for key in ("achieved", "total", "by_guidance", "by_self_study"):
            assert groups[2][key] == sum(r["parents"][key] for r in rows)
        assert groups[2]["achieved"] == groups[2]["by_guidance"] + groups[2]["by_self_study"]
        assert report["school"]["relatives_trained"] == sum(r["relatives_trained"] for r in rows)
        # the ward page shows the same school figures
        in_ward = ward["schools"][[s["id"] for s in ward["schools"]].index(school.id)]
        assert in_ward["groups"] == groups
        counts = aggregates["schools"][school.id]
        assert counts["parents"][BY_GUIDANCE] == groups[2]["by_guidance"]
        assert counts["parents"][BY_SELF_STUDY] == groups[2]["by_self_study"]
        for n, group in enumerate(("staff", "students", "parents")):
            assert (counts[group]["achieved"], counts[group]["total"]) == _pairs(groups[n])
            sums[group][0] += groups[n]["achieved"]
            sums[group][1] += groups[n]["total"]
        sums["guided"] += groups[2]["by_guidance"]
        sums["self"] += groups[2]["by_self_study"]

        if index == 0:
            _page_export_snapshot_agree(school, built.admins[index], report, client, auth)
    # schools add up to the ward
    for n, group in enumerate(("staff", "students", "parents")):
        assert list(_pairs(ward["total"][n])) == sums[group]
    assert (ward["total"][2]["by_guidance"], ward["total"][2]["by_self_study"]) == (
        sums["guided"], sums["self"])  # fmt: skip
    assert aggregates["total"]["relatives_trained"] == len(all_trained)

    # last year: the same sums hold, and no session of this year is counted in it
    start = int(year[:4])
    last = school_outcomes(school_ids, f"{start - 1}-{start}", content)
    for school in built.schools:
        old = last[school.id]
        assert sum(len(c.relatives_trained) for c in old.classes) == len(
            set().union(*(c.relatives_trained for c in old.classes))
        )


def _page_export_snapshot_agree(school, admin, live, client, auth) -> None:
    content = get_content()
    snapshot, _ = take_snapshot(school, period_of(SnapshotPeriod.MONTH, dates.today()), content)
    db.session.commit()
    frozen = dict(snapshot.data)
    assert {**frozen, "generated_at": None} == {**live, "generated_at": None}
    body, _media, _name = export_file(live, "csv")
    exported = _csv_tables(body)
    assert exported == [[[c.title for c in t.columns], *t.formatted()] for t in
                        report_tables(frozen)]  # fmt: skip
    auth.login(admin.username)
    page = _page_tables(client.get("/school/").get_data(as_text=True))
    auth.logout()
    assert page == exported


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=world_plan)
def test_figures_add_up_everywhere(app, client, auth, plan):
    _empty_tables()
    db.session.remove()
    limiter.reset()
    built = build(plan)
    check(built, client, auth)
    db.session.remove()
