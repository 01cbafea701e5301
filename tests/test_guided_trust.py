"""Trust flags and the school's review policy (confirm first, or spot-check a sample)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.guided import review, services, trust
from app.models import ReviewPolicy, ReviewStatus, SessionStatus
from app.models.base import utcnow
from tests.guided_support import (
    OTHER_WALKTHROUGH,
    WALKTHROUGH,
    answer_all,
    record_all,
    register,
    run_session,
    start,
)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def grandmother(ctx, org):
    return register(org.student).relative


def _spot_check(school, percent: int) -> None:
    school.review_policy = ReviewPolicy.SPOT_CHECK
    school.review_sample_percent = percent
    db.session.commit()


def test_a_normal_session_has_no_flag(org, grandmother):
    assert run_session(org.student, grandmother.id).flags == []


def test_tapping_through_the_steps_is_flagged_too_fast(org, grandmother):
    session = services.start_session(org.student, grandmother.id, WALKTHROUGH)
    session.started_at = utcnow() - timedelta(seconds=45)  # 9 steps in 45 s: 5 s a step
    db.session.commit()

    record_all(session)
    services.begin_check(session, session.version)
    answer_all(session)
    assert session.flags == [trust.TOO_FAST]
    assert 4 <= trust.seconds_per_step(session) <= 6


def test_the_too_fast_threshold_is_configurable(app, org, grandmother, monkeypatch):
    monkeypatch.setitem(app.config, "GUIDED_MIN_SECONDS_PER_STEP", 300)  # 30 min / 9 = 200 s
    assert run_session(org.student, grandmother.id).flags == [trust.TOO_FAST]


def test_a_relative_certified_twice_for_the_same_task_is_flagged(org, grandmother):
    first = run_session(org.student, grandmother.id)
    assert first.review_status == ReviewStatus.PENDING
    register(org.classmate, same_as_id=grandmother.id)  # a sibling registers her too
    second = run_session(org.classmate, grandmother.id)
    assert trust.ALREADY_CERTIFIED in second.flags
    other_task = run_session(org.classmate, grandmother.id, OTHER_WALKTHROUGH)
    assert trust.ALREADY_CERTIFIED not in other_task.flags


def test_a_rejected_or_not_yet_session_does_not_count_as_certified(org, grandmother):
    failed = run_session(org.student, grandmother.id, wrong=4)
    assert failed.status == SessionStatus.NOT_YET
    rejected = run_session(org.student, grandmother.id)
    review.reject(rejected, org.teacher, "Chưa học thật", rejected.version)
    assert run_session(org.student, grandmother.id).flags == []


def test_many_sessions_by_one_student_in_a_day_are_flagged(app, org, grandmother, monkeypatch):
    monkeypatch.setitem(app.config, "GUIDED_MAX_SESSIONS_PER_DAY", 2)
    walkthroughs = ["nt-goi-video-zalo", "nt-nhan-biet-lua-dao", "nt-kiem-chung-thong-tin"]
    sessions = [run_session(org.student, grandmother.id, w) for w in walkthroughs]
    assert [trust.MANY_TODAY in s.flags for s in sessions] == [False, False, True]


def test_the_day_is_the_vietnam_calendar_day(app, ctx):
    # 18:00 UTC is 01:00 the next day in Vietnam (UTC+7).
    start_, end = trust.local_day_bounds(datetime(2026, 3, 1, 18, 0))
    assert start_ == datetime(2026, 3, 1, 17, 0) and end == datetime(2026, 3, 2, 17, 0)


def test_confirm_first_sends_every_passed_session_to_the_queue(org, grandmother):
    assert org.school.review_policy == ReviewPolicy.CONFIRM_FIRST
    session = run_session(org.student, grandmother.id)
    assert session.review_status == ReviewStatus.PENDING and not session.sampled


def test_spot_check_confirms_an_unflagged_unsampled_session_at_once(org, grandmother):
    _spot_check(org.school, 0)
    session = run_session(org.student, grandmother.id)
    assert session.review_status == ReviewStatus.CONFIRMED
    assert session.reviewed_at is not None and session.reviewed_by_id is None


def test_spot_check_sends_a_flagged_session_to_the_queue(org, grandmother, app, monkeypatch):
    _spot_check(org.school, 0)
    monkeypatch.setitem(app.config, "GUIDED_MIN_SECONDS_PER_STEP", 300)
    session = run_session(org.student, grandmother.id)
    assert session.review_status == ReviewStatus.PENDING and not session.sampled


def test_spot_check_sends_the_whole_sample_at_100_percent(org, grandmother):
    _spot_check(org.school, 100)
    session = run_session(org.student, grandmother.id)
    assert session.review_status == ReviewStatus.PENDING and session.sampled


def test_the_sample_is_seeded_per_session_and_near_the_percentage(ctx):
    picks = [trust.in_sample(session_id, 20) for session_id in range(1, 2001)]
    assert picks == [trust.in_sample(session_id, 20) for session_id in range(1, 2001)]
    assert 300 < sum(picks) < 500  # about 20 % of 2000
    assert not any(trust.in_sample(i, 0) for i in range(100))
    assert all(trust.in_sample(i, 100) for i in range(100))


def test_spot_check_routes_by_the_sample(org, grandmother):
    _spot_check(org.school, 50)
    session = start(org.student, grandmother.id)
    expected = trust.in_sample(session.id, 50)

    record_all(session)
    services.begin_check(session, session.version)
    answer_all(session)
    assert session.sampled == expected
    assert session.review_status == (ReviewStatus.PENDING if expected else ReviewStatus.CONFIRMED)
