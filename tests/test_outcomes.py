"""The one definition of each outcome (app.outcomes), on real objects; expected by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import dates
from app.certificates.services import issue_for_session, revoke_certificate
from app.content import get_content
from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    GuidedSession,
    ReviewStatus,
    Role,
    SessionStatus,
)
from app.models.base import utcnow
from app.outcomes import (
    BY_GUIDANCE,
    BY_SELF_STUDY,
    class_outcomes,
    relatives_helped,
    school_outcomes,
    ward_aggregates,
)
from app.reports.class_report import class_report
from app.reports.school_report import build_school_report
from app.reports.services import current_school_year
from tests import factories
from tests.certificates_support import (  # noqa: F401  (autouse: throwaway signing key)
    SCAM,
    VNEID,
    ZALO,
    certificate_files,
    link,
    pass_lessons,
    relative,
)

PUBLIC = "nt-dich-vu-cong"


def guided(student, relative_obj, walkthrough=SCAM, at=None, review=ReviewStatus.CONFIRMED):
    """A passed session the school reviewed, finished at ``at`` (naive UTC)."""
    at = at or utcnow()
    session = GuidedSession(
        student_id=student.id,
        relative_id=relative_obj.id,
        walkthrough_id=walkthrough,
        walkthrough_version="test",
        status=SessionStatus.PASSED,
        review_status=review,
        started_at=at - timedelta(minutes=20),
        finished_at=at,
        check_score=100,
    )
    db.session.add(session)
    db.session.commit()
    return session


@pytest.fixture
def year():
    return current_school_year()


@pytest.fixture
def school(app, year):
    ward = factories.ward()
    school = factories.school(ward, name="Trường THCS Dương Quan")
    teacher = factories.user(Role.TEACHER, school)
    admin = factories.user(Role.SCHOOL_ADMIN, school)
    c6 = factories.classroom(school, teacher, name="6A1", grade=6, school_year=year)
    c8 = factories.classroom(school, teacher, name="8A1", grade=8, school_year=year)
    an = factories.user(Role.STUDENT, school, full_name="Trần Minh An")
    em = factories.user(Role.STUDENT, school, full_name="Trần Minh Em")  # An's sister
    factories.enrol(an, c6)
    factories.enrol(em, c8)
    return type(
        "S", (), {"ward": ward, "school": school, "c6": c6, "c8": c8, "an": an, "em": em,
                  "admin": admin, "teacher": teacher}
    )  # fmt: skip


def _by_name(classes):
    return {c.name: c for c in classes}


def test_siblings_grandmother_counts_once_in_the_guiding_students_class(school, year):
    grandma = relative(school.an, full_name="Nguyễn Thị Lan")
    link(school.em, grandma)
    guided(school.em, grandma, SCAM, at=utcnow() - timedelta(days=2))  # Em guided first
    guided(school.an, grandma, VNEID)
    classes = _by_name(school_outcomes([school.school.id], year, get_content())[
        school.school.id].classes)  # fmt: skip
    assert classes["8A1"].relatives_trained == {grandma.id}
    assert classes["6A1"].relatives_trained == set()
    assert [p.key for p in classes["8A1"].parents] == [f"r{grandma.id}"]
    assert classes["6A1"].parents == []
    # each sister did help her
    assert classes["6A1"].students[0].relatives == classes["8A1"].students[0].relatives == 1
    report = build_school_report(school.school, year, get_content())
    assert report["school"]["relatives_trained"] == 1
    parents = report["school"]["groups"][2]
    assert (parents["achieved"], parents["total"], parents["by_guidance"]) == (1, 1, 1)


def test_revoking_the_relatives_certificate_changes_every_number(school, year, app):
    grandma = relative(school.an)
    session = guided(school.an, grandma, SCAM)
    with app.test_request_context():
        issue_for_session(session)
        db.session.commit()
    assert relatives_helped([school.an.id]) == {school.an.id: 1}
    before = build_school_report(school.school, year, get_content())
    c6 = next(c for c in before["school"]["classes"] if c["name"] == "6A1")
    assert c6["relatives_trained"] == 1 and c6["score"] == 30.0  # 0.3 × min(1, 1/1)

    certificate = db.session.scalar(
        db.select(Certificate).where(
            Certificate.source_session_id == session.id, Certificate.kind == CertificateKind.TASK
        )
    )
    with app.test_request_context():
        revoke_certificate(certificate, school.admin, "học sinh làm hộ")
        db.session.commit()
    assert relatives_helped([school.an.id]) == {school.an.id: 0}
    after = build_school_report(school.school, year, get_content())
    c6 = next(c for c in after["school"]["classes"] if c["name"] == "6A1")
    assert c6["relatives_trained"] == 0 and c6["score"] == 0.0
    assert after["school"]["relatives_trained"] == 0
    assert class_report(school.c6, get_content()).relatives_trained == 0
    assert class_report(school.c6, get_content()).rows[0].facts.relatives == 0


def test_a_withdrawn_confirmation_counts_nowhere(school, year):
    grandma = relative(school.an)
    session = guided(school.an, grandma, SCAM)
    session.review_status = ReviewStatus.REJECTED
    db.session.commit()
    (c6,) = class_outcomes([school.c6], get_content())
    assert c6.relatives_trained == set() and c6.students[0].relatives == 0


def test_deactivated_student_leaves_card_and_rows_alike(school, year):
    grandma = relative(school.an)
    guided(school.an, grandma, SCAM)
    report = class_report(school.c6, get_content())
    assert report.relatives_trained == sum(r.facts.relatives for r in report.rows) == 1
    school.an.active = False
    db.session.commit()
    report = class_report(school.c6, get_content())
    assert report.rows == [] and report.relatives_trained == 0 and report.counted == 0


def test_last_years_relative_does_not_count_for_this_years_class(school, year, app):
    """An trained grandma in 6A1 last year and was promoted to 7A1."""
    last_year = f"{int(year[:4]) - 1}-{int(year[:4])}"
    old = factories.classroom(school.school, school.teacher, name="6A1", grade=6,
                              school_year=last_year)  # fmt: skip
    factories.enrol(school.an, old)
    grandma = relative(school.an)
    last_year_day = datetime(int(year[:4]) - 1, 11, 20, 3, 0)  # 10:00 in Vietnam
    guided(school.an, grandma, SCAM, at=last_year_day)
    (this_year,) = class_outcomes([school.c6], get_content())
    assert this_year.relatives_trained == set() and this_year.students[0].relatives == 0
    (then,) = class_outcomes([old], get_content())
    assert then.relatives_trained == {grandma.id} and then.students[0].relatives == 1
    # she is still a relative of the school this year (registered by a counted student)
    assert [p.key for p in this_year.parents] == [f"r{grandma.id}"]


@pytest.mark.parametrize(
    ("local_time", "counted_in"),
    [((7, 31, 23, 30), "earlier"), ((8, 1, 0, 30), "later")],
)
def test_school_year_changes_at_midnight_in_vietnam(school, local_time, counted_in):
    month, day, hour, minute = local_time
    local = datetime(2026, month, day, hour, minute, tzinfo=dates.zone())
    at = local.astimezone(dates.UTC).replace(tzinfo=None)  # 16:30 / 17:30 UTC on 31 July
    grandma = relative(school.an)
    guided(school.an, grandma, SCAM, at=at)
    earlier = relatives_helped([school.an.id], "2025-2026")[school.an.id]
    later = relatives_helped([school.an.id], "2026-2027")[school.an.id]
    assert (earlier, later) == ((1, 0) if counted_in == "earlier" else (0, 1))


def test_moved_student_counts_only_in_the_new_class(school, year):
    c6b = factories.classroom(school.school, school.teacher, name="6A2", grade=6,
                              school_year=year)  # fmt: skip
    old = db.session.scalar(db.select(factories.Enrollment).filter_by(student_id=school.an.id))
    grandma = relative(school.an)
    guided(school.an, grandma, SCAM)
    # leaving tomorrow: still in 6A1 today, although already enrolled in 6A2
    old.left_on = dates.today() + timedelta(days=1)
    factories.enrol(school.an, c6b)
    classes = _by_name(class_outcomes([school.c6, c6b], get_content()))
    assert [s.id for s in classes["6A1"].students] == [school.an.id]
    assert classes["6A2"].students == []
    # left today: from today the student and the relative they guided count in 6A2
    old.left_on = dates.today()
    db.session.commit()
    classes = _by_name(class_outcomes([school.c6, c6b], get_content()))
    assert classes["6A1"].students == [] and classes["6A1"].relatives_trained == set()
    assert [s.id for s in classes["6A2"].students] == [school.an.id]
    assert classes["6A2"].relatives_trained == {grandma.id}
    # asked for 6A1 alone, the answer is the same
    (alone,) = class_outcomes([school.c6], get_content())
    assert alone.students == [] and alone.parents == []


def test_parents_two_ways_are_counted_apart(school, year):
    content = get_content()
    # Mai: a parent account following An, learnt scam + VNeID walkthroughs on her own
    mai = factories.user(Role.PARENT, school.school, full_name="Trần Thị Mai")
    factories.link_parent(mai, school.an)
    pass_lessons(mai, ["nt-nhan-biet-lua-dao", "nt-vneid-muc-2"], content)
    # Hoa: a relative guided by Em through scam + public services, confirmed
    hoa = relative(school.em, full_name="Lê Thị Hoa")
    guided(school.em, hoa, SCAM)
    guided(school.em, hoa, PUBLIC)
    # Tư: guided in scam only, and learnt VNeID herself on the account she claimed
    tu_account = factories.user(Role.PARENT, school.school, full_name="Nguyễn Thị Tư")
    tu = relative(school.an, full_name="Nguyễn Thị Tư", account_id=tu_account.id)
    guided(school.an, tu, SCAM)
    pass_lessons(tu_account, ["nt-vneid-muc-2"], content)
    # Bảy: walkthrough read but quiz not passed → not achieved
    bay = factories.user(Role.PARENT, school.school, full_name="Trần Văn Bảy")
    factories.link_parent(bay, school.em)
    pass_lessons(bay, [ZALO], content)

    outcome = school_outcomes([school.school.id], year, content)[school.school.id]
    ways = {p.key: p.way for p in outcome.parents}
    assert ways == {
        f"u{mai.id}": BY_SELF_STUDY,
        f"r{hoa.id}": BY_GUIDANCE,
        f"r{tu.id}": BY_SELF_STUDY,  # the guided sessions alone do not meet the rule
        f"u{bay.id}": None,
    }
    report = build_school_report(school.school, year, content)
    parents = report["school"]["groups"][2]
    assert (parents["achieved"], parents["total"]) == (3, 4)
    assert (parents["by_guidance"], parents["by_self_study"]) == (1, 2)
    totals = ward_aggregates([school.ward.id], year, content)[school.ward.id]["total"]
    assert totals["parents"] == {
        "achieved": 3, "total": 4, BY_GUIDANCE: 1, BY_SELF_STUDY: 2
    }  # fmt: skip


def test_another_schools_classes_stay_apart(school, year):
    other = factories.school(school.ward, name="Trường THCS Hoa Động")
    c = factories.classroom(other, name="6A", grade=6, school_year=year)
    huy = factories.user(Role.STUDENT, other)
    factories.enrol(huy, c)
    guided(huy, relative(huy), SCAM)
    guided(school.an, relative(school.an), SCAM)
    result = ward_aggregates([school.ward.id], year, get_content())[school.ward.id]
    assert result["schools"][school.school.id]["relatives_trained"] == 1
    assert result["schools"][other.id]["relatives_trained"] == 1
    assert result["total"]["relatives_trained"] == 2
    assert result["total"]["students"]["total"] == 3


def test_a_relatives_certificate_prints_in_one_class_run_only(school, year, app):
    """Siblings An (6A1) and Em (8A1) both guided their grandmother (item 10)."""
    from app.certificates import services as certificates

    grandma = relative(school.an, full_name="Nguyễn Thị Lan")
    link(school.em, grandma)
    by_em = guided(school.em, grandma, SCAM, at=utcnow() - timedelta(hours=2))
    by_an = guided(school.an, grandma, VNEID)
    with app.test_request_context():
        issue_for_session(by_em)
        issue_for_session(by_an)
        db.session.commit()
    runs = {
        c.name: {x.id for x in certificates.printable(certificates.classroom_certificates(c))}
        for c in (school.c6, school.c8)
    }
    held = set(
        db.session.scalars(
            db.select(Certificate.id).where(
                Certificate.holder_relative_id == grandma.id, Certificate.superseded_at.is_(None)
            )
        )
    )
    assert len(held) == 3  # two tasks and the combined certificate
    assert runs["6A1"] | runs["8A1"] == held
    assert runs["6A1"] & runs["8A1"] == set()  # each printed once
    task_of = {
        c.id: c.source_session_id
        for c in db.session.scalars(db.select(Certificate).where(Certificate.id.in_(held)))
    }
    assert {task_of[i] for i in runs["8A1"]} >= {by_em.id}
    assert {task_of[i] for i in runs["6A1"]} >= {by_an.id}


def test_last_years_certificate_stays_in_last_years_class_run(school, year, app):
    from app.certificates import services as certificates

    last_year = f"{int(year[:4]) - 1}-{int(year[:4])}"
    old = factories.classroom(school.school, school.teacher, name="6A1", grade=6,
                              school_year=last_year)  # fmt: skip
    factories.enrol(school.an, old)
    grandma = relative(school.an)
    session = guided(school.an, grandma, SCAM, at=datetime(int(year[:4]), 3, 2, 3, 0))
    with app.test_request_context():
        issue_for_session(session)
        db.session.commit()
    then = certificates.printable(certificates.classroom_certificates(old))
    now = certificates.printable(certificates.classroom_certificates(school.c6))
    assert [c.holder_relative_id for c in then] == [grandma.id]
    assert now == []


@pytest.mark.parametrize(
    ("utc", "month", "last_month_final"),
    [
        (datetime(2026, 11, 30, 16, 30), "2026-11", False),  # 23:30 on 30/11 in Vietnam
        (datetime(2026, 11, 30, 17, 30), "2026-12", True),  # 00:30 on 1/12 in Vietnam
    ],
)
def test_report_periods_follow_vietnams_calendar(
    school, runner, monkeypatch, utc, month, last_month_final
):
    """`flask reports snapshot` picks the month of Vietnam's today, and November's report
    is final only once November has ended in Vietnam."""
    from app.models.reports import ReportSnapshot, SnapshotScope

    monkeypatch.setattr("app.dates.utcnow", lambda: utc)
    result = runner.invoke(args=["reports", "snapshot", "--period", "month"])
    assert result.exit_code == 0, result.output
    keys = set(db.session.scalars(db.select(ReportSnapshot.period_key)))
    assert keys == {month}
    runner.invoke(args=["reports", "snapshot", "--period", "month", "--date", "2026-11-30"])
    november = db.session.scalar(
        db.select(ReportSnapshot).where(
            ReportSnapshot.period_key == "2026-11",
            ReportSnapshot.scope == SnapshotScope.SCHOOL,
        )
    )
    assert november.final is last_month_final
    assert november.data["generated_at"].startswith(utc.isoformat()[:16])
