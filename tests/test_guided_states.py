"""The session's state machine, through the services: every legal move and the refused ones."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.guided import review, services
from app.guided.exceptions import IllegalTransition, RelativeError, StaleSession
from app.models import GuidedSession, ReviewStatus, SessionStatus, SessionStep, StepOutcome
from tests.guided_support import (
    WALKTHROUGH,
    record_all,
    register,
    run_session,
    start,
)


@pytest.fixture
def grandmother(app, org):
    with app.test_request_context():  # refusals carry translated messages
        yield register(org.student).relative


def test_a_whole_session_passes_and_waits_for_review(org, grandmother):
    session = run_session(org.student, grandmother.id)
    assert session.status == SessionStatus.PASSED
    assert session.check_score == 100
    assert session.review_status == ReviewStatus.PENDING  # the default policy: confirm first
    assert session.finished_at is not None
    assert [s.outcome for s in session.steps] == [StepOutcome.SELF] * 9


def test_steps_advance_and_a_reopened_session_resumes_where_it_stopped(org, grandmother):
    session = start(org.student, grandmother.id)
    services.record_step(session, 1, StepOutcome.SELF, session.version)
    services.record_step(session, 2, StepOutcome.HELPED, session.version)
    session_id = session.id
    db.session.expire_all()  # as a new request (another phone) would see it
    again = services.session_for_student(org.student, session_id)
    assert again.current_step == 3
    assert services.recorded_outcomes(again) == {1: StepOutcome.SELF, 2: StepOutcome.HELPED}


def test_starting_twice_resumes_the_open_session(org, grandmother):
    first = services.start_session(org.student, grandmother.id, WALKTHROUGH)
    second = services.start_session(org.student, grandmother.id, WALKTHROUGH)
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GuidedSession)) == 1


def test_a_step_can_be_recorded_again_but_not_skipped_ahead(org, grandmother):
    session = start(org.student, grandmother.id)
    services.record_step(session, 1, StepOutcome.HELPED, session.version)
    services.record_step(session, 2, StepOutcome.SELF, session.version)
    services.record_step(session, 1, StepOutcome.SELF, session.version)
    assert services.recorded_outcomes(session)[1] == StepOutcome.SELF
    assert session.current_step == 3  # going back does not lose the place
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionStep)) == 2
    with pytest.raises(IllegalTransition, match="lần lượt"):
        services.record_step(session, 5, StepOutcome.SELF, session.version)
    with pytest.raises(IllegalTransition):
        services.record_step(session, 10, StepOutcome.SELF, session.version)


def test_the_check_cannot_start_before_every_step_is_recorded(org, grandmother):
    session = start(org.student, grandmother.id)
    services.record_step(session, 1, StepOutcome.SELF, session.version)
    with pytest.raises(IllegalTransition, match="Còn bước chưa ghi"):
        services.begin_check(session, session.version)
    assert session.status == SessionStatus.IN_PROGRESS


def test_steps_are_closed_once_the_check_started(org, grandmother):
    session = start(org.student, grandmother.id)
    record_all(session)
    services.begin_check(session, session.version)
    assert session.status == SessionStatus.CHECKING
    assert len(session.check_details["questions"]) == 4
    with pytest.raises(IllegalTransition, match="đang trả lời câu hỏi"):
        services.record_step(session, 1, StepOutcome.HELPED, session.version)


def test_questions_are_answered_in_order_and_only_during_the_check(org, grandmother):
    session = start(org.student, grandmother.id)
    with pytest.raises(IllegalTransition):
        services.answer_question(session, 1, ["b"], session.version)
    record_all(session)
    services.begin_check(session, session.version)
    with pytest.raises(IllegalTransition, match="lần lượt từng câu"):
        services.answer_question(session, 2, ["true"], session.version)


def test_passing_the_quiz_without_doing_a_key_step_alone_is_not_yet(org, grandmother):
    session = run_session(org.student, grandmother.id, outcomes={7: StepOutcome.HELPED})
    assert session.status == SessionStatus.NOT_YET
    assert session.check_score == 100
    assert session.review_status == ReviewStatus.NONE
    plan = services.practice_plan(session, services.walkthrough_of(session))
    assert [s.index for s in plan.key_steps] == [7]
    assert plan.quiz_passed


def test_helped_on_an_ordinary_step_still_passes(org, grandmother):
    session = run_session(org.student, grandmother.id, outcomes={1: StepOutcome.HELPED})
    assert session.status == SessionStatus.PASSED


def test_failing_the_check_questions_is_not_yet(org, grandmother):
    session = run_session(org.student, grandmother.id, wrong=2)  # 2 of 4 right: 50 % < 70 %
    assert session.status == SessionStatus.NOT_YET
    assert session.check_score == 50
    plan = services.practice_plan(session, services.walkthrough_of(session))
    assert len(plan.wrong_prompts) == 2 and not plan.quiz_passed and not plan.key_steps


def test_one_wrong_answer_still_passes_at_75_percent(org, grandmother):
    session = run_session(org.student, grandmother.id, wrong=1)
    assert session.status == SessionStatus.PASSED and session.check_score == 75


def test_a_finished_session_accepts_nothing_more(org, grandmother):
    session = run_session(org.student, grandmother.id)
    with pytest.raises(IllegalTransition, match="đã kết thúc"):
        services.record_step(session, 9, StepOutcome.SELF, session.version)
    with pytest.raises(IllegalTransition):
        services.begin_check(session, session.version)
    with pytest.raises(IllegalTransition):
        services.abandon(session, session.version)


def test_not_yet_can_be_repeated_another_time_as_a_new_session(org, grandmother):
    first = run_session(org.student, grandmother.id, wrong=4)
    second = run_session(org.student, grandmother.id)
    assert first.id != second.id
    assert (first.status, second.status) == (SessionStatus.NOT_YET, SessionStatus.PASSED)


def test_an_abandoned_session_is_closed(org, grandmother):
    session = start(org.student, grandmother.id)
    services.abandon(session, session.version)
    assert session.status == SessionStatus.ABANDONED
    with pytest.raises(IllegalTransition, match="đã dừng"):
        services.record_step(session, 1, StepOutcome.SELF, session.version)


def test_review_moves_pending_to_confirmed_or_rejected_and_rejects_bad_moves(org, grandmother):
    session = run_session(org.student, grandmother.id)
    review.confirm(session, org.teacher, "Đã gọi điện", session.version)
    assert session.review_status == ReviewStatus.CONFIRMED
    assert session.reviewed_by_id == org.teacher.id and session.reviewed_at is not None
    with pytest.raises(IllegalTransition, match="xác nhận rồi"):
        review.confirm(session, org.teacher, None, session.version)
    review.reject(session, org.teacher, "Gia đình nói chưa học", session.version)
    assert session.review_status == ReviewStatus.REJECTED
    assert session.review_reason == "Gia đình nói chưa học"
    with pytest.raises(IllegalTransition, match="từ chối trước đó"):
        review.confirm(session, org.teacher, None, session.version)


def test_only_a_passed_session_can_be_reviewed(org, grandmother):
    session = run_session(org.student, grandmother.id, wrong=4)
    with pytest.raises(IllegalTransition, match="đã đạt"):
        review.confirm(session, org.teacher, None, session.version)


def test_rejecting_needs_a_reason(org, grandmother):
    session = run_session(org.student, grandmother.id)
    with pytest.raises(Exception, match="lý do"):
        review.reject(session, org.teacher, "   ", session.version)
    assert session.review_status == ReviewStatus.PENDING


def test_a_stale_page_is_refused_unless_it_repeats_what_was_saved(org, grandmother):
    session = start(org.student, grandmother.id)
    page_version = session.version  # two tabs show step 1
    services.record_step(session, 1, StepOutcome.SELF, page_version)  # tab A
    services.record_step(session, 1, StepOutcome.SELF, page_version)  # tab A double tap: fine
    with pytest.raises(StaleSession):
        services.record_step(session, 1, StepOutcome.SKIPPED, page_version)  # tab B differs
    assert services.recorded_outcomes(session) == {1: StepOutcome.SELF}


def test_a_lost_race_on_the_version_column_is_refused_and_keeps_what_was_saved(org, grandmother):
    session = start(org.student, grandmother.id)
    services.record_step(session, 1, StepOutcome.SELF, session.version)
    # Another request commits between this request's read and its write.
    table = GuidedSession.__table__  # a plain SQL update: this request does not see it
    db.session.execute(
        table.update().where(table.c.id == session.id).values(version=table.c.version + 1)
    )
    with pytest.raises(StaleSession):
        services.record_step(session, 2, StepOutcome.SELF, None)
    db.session.expire_all()
    again = db.session.get(GuidedSession, session.id)
    assert again.current_step == 2
    assert services.recorded_outcomes(again) == {1: StepOutcome.SELF}


def test_an_answer_sent_twice_counts_once(org, grandmother):
    session = start(org.student, grandmother.id)
    record_all(session)
    services.begin_check(session, session.version)
    version = session.version
    services.begin_check(session, version - 1)  # the hand-over button tapped twice
    first = session.check_details["questions"][0]
    values = ["b"] if first == "q1" else ["true"]
    services.answer_question(session, 1, values, version)
    services.answer_question(session, 1, values, version)  # double tap
    assert len(session.check_details["answers"]) == 1
    with pytest.raises(StaleSession):
        services.answer_question(session, 1, ["a"], version)  # a changed mind is too late
    assert session.check_details["answers"][first] == values


def test_sessions_only_start_for_the_students_own_relative(org, grandmother):
    with pytest.raises(RelativeError):
        services.start_session(org.classmate, grandmother.id, WALKTHROUGH)
    assert (
        services.session_for_student(org.classmate, start(org.student, grandmother.id).id) is None
    )
