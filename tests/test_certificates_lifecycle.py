"""A revoked certificate stays revoked: no job or later event issues it again, the guided
session behind it stops counting, and only a school admin's re-enable (with a reason)
lifts that. Path and domain certificates come the moment the last quiz is passed."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.certificates import services
from app.content import get_content
from app.demo.progress import _answer
from app.extensions import db
from app.learn import quiz_papers
from app.models import (
    Certificate,
    CertificateKind,
    GuidedSession,
    ReviewStatus,
    Role,
    SessionStatus,
)
from tests import factories
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    certificate_files,
    link,
    of_kind,
    pass_lessons,
    relative,
    session,
)
from tests.guided_support import run_session

REASON = "Học sinh làm hộ, bà chưa tự làm được"


@pytest.fixture
def grandma(org):
    return relative(org.student)


@pytest.fixture
def vneid_certificate(org, grandma):
    guided = session(org.student, grandma, VNEID, reviewer=org.teacher)
    [certificate] = services.issue_for_session(guided).issued
    db.session.commit()
    return certificate


def _fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _helped(client) -> int:
    html = client.get("/guided/").get_data(as_text=True)
    return int(re.search(r'class="big-number">(\d+)<', html).group(1))


def _login(auth, username: str) -> None:
    auth.logout()
    auth.login(username)


def _current(kind, **filters) -> list[Certificate]:
    return [c for c in of_kind(kind, **filters) if c.is_current]


# --- revoking a relative's task certificate -------------------------------------------------


def test_revoking_withdraws_the_session_and_the_cron_job_never_reissues_it(
    client, auth, org, grandma, vneid_certificate, runner
):
    _login(auth, org.student.username)
    assert _helped(client) == 1
    _login(auth, org.school_admin.username)

    response = client.post(f"/certificates/{vneid_certificate.id}/revoke", data={"reason": REASON})

    assert response.status_code == 302
    certificate = _fresh(vneid_certificate)
    assert certificate.is_revoked and certificate.revocation_final
    assert certificate.revoked_by_id == org.school_admin.id
    [guided] = db.session.scalars(sa.select(GuidedSession)).all()
    assert guided.review_status == ReviewStatus.WITHDRAWN
    _login(auth, org.student.username)
    assert _helped(client) == 0  # the student's own count drops at once
    assert "chứng nhận đã bị thu hồi" in client.get(f"/guided/relatives/{grandma.id}").get_data(
        as_text=True
    )

    for _ in range(2):  # cron, twice
        result = runner.invoke(args=["certificates", "issue"])
        assert result.exit_code == 0, result.output
        assert "Đã cấp 0 giấy chứng nhận" in result.output
    assert _current(CertificateKind.TASK) == []
    assert _fresh(guided).review_status == ReviewStatus.WITHDRAWN


def test_a_siblings_session_for_the_same_task_brings_nothing_back(org, grandma, vneid_certificate):
    sibling = factories.user(Role.STUDENT, org.school, username="em-gai")
    link(sibling, grandma)
    services.revoke_certificate(vneid_certificate, org.school_admin, REASON)
    db.session.commit()

    later = session(sibling, grandma, VNEID, reviewer=org.teacher)
    assert services.issue_for_session(later).issued == []
    assert services.issue_pending_certificates().issued == []
    db.session.commit()
    assert _current(CertificateKind.TASK) == []


def test_other_tasks_of_the_relative_keep_their_certificates(org, grandma, vneid_certificate):
    scam = session(org.student, grandma, SCAM, reviewer=org.teacher)
    services.issue_for_session(scam)
    db.session.commit()
    [combined] = _current(CertificateKind.COMBINED)

    report = services.revoke_certificate(vneid_certificate, org.school_admin, REASON)
    db.session.commit()

    assert combined in report.revoked  # it listed the revoked task
    assert not _fresh(combined).revocation_final  # withdrawn as a consequence, not final
    [kept] = _current(CertificateKind.TASK)
    assert kept.achievement_id == "scam-awareness"
    assert _fresh(scam).review_status == ReviewStatus.CONFIRMED


# --- bad input ----------------------------------------------------------------------------


def test_revoking_twice_says_so_and_changes_nothing(client, auth, org, vneid_certificate):
    _login(auth, org.school_admin.username)
    url = f"/certificates/{vneid_certificate.id}/revoke"
    client.post(url, data={"reason": REASON})
    first = _fresh(vneid_certificate)
    revoked_at, reason = first.revoked_at, first.revoke_reason

    again = client.post(url, data={"reason": "Thu hồi lần nữa"})

    assert again.status_code == 409
    assert "Chứng nhận này đã bị thu hồi từ trước." in again.get_data(as_text=True)
    second = _fresh(vneid_certificate)
    assert (second.revoked_at, second.revoke_reason) == (revoked_at, reason)


def test_a_revocation_without_a_reason_is_refused(client, auth, org, vneid_certificate):
    _login(auth, org.school_admin.username)
    response = client.post(f"/certificates/{vneid_certificate.id}/revoke", data={"reason": " "})
    assert response.status_code == 400
    assert "Hãy ghi lý do thu hồi." in response.get_data(as_text=True)
    assert _fresh(vneid_certificate).is_current


def test_confirming_a_withdrawn_session_is_refused(client, auth, org, vneid_certificate):
    services.revoke_certificate(vneid_certificate, org.school_admin, REASON)
    db.session.commit()
    guided = db.session.get(GuidedSession, vneid_certificate.source_session_id)
    _login(auth, org.teacher.username)

    response = client.post(f"/guided/review/{guided.id}/confirm", data={"version": guided.version})

    assert response.status_code == 302
    page = client.get("/guided/review").get_data(as_text=True)
    assert "Ban giám hiệu đã thu hồi giấy chứng nhận của buổi hướng dẫn này" in page
    assert _fresh(guided).review_status == ReviewStatus.WITHDRAWN
    assert _current(CertificateKind.TASK) == []


def test_a_new_session_for_a_revoked_task_cannot_be_started(client, auth, org):
    # Through the real guided flow: a session passed and confirmed by the school's policy.
    from tests.guided_support import register

    with client.application.test_request_context():
        link_ = register(org.student)
        done = run_session(org.student, link_.relative_id, VNEID)
    if done.review_status != ReviewStatus.CONFIRMED:
        from app.guided import review

        with client.application.test_request_context():
            review.confirm(done, org.teacher, None, done.version)
    [certificate] = _current(CertificateKind.TASK)
    services.revoke_certificate(certificate, org.school_admin, REASON)
    db.session.commit()
    _login(auth, org.student.username)
    page = client.get("/guided/sessions/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)

    response = client.post(
        "/guided/sessions/new",
        data={
            "relative": link_.relative_id,
            "walkthrough": VNEID,
            **({"csrf_token": token.group(1)} if token else {}),
        },
    )

    assert "Ban giám hiệu đã thu hồi giấy chứng nhận nhiệm vụ này" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GuidedSession)) == 1


# --- re-enabling --------------------------------------------------------------------------


def test_only_an_admin_of_the_issuing_school_re_enables(client, auth, org, vneid_certificate):
    services.revoke_certificate(vneid_certificate, org.school_admin, REASON)
    db.session.commit()
    url = f"/certificates/{vneid_certificate.id}/reenable"
    for user, status in ((org.other_school_admin, 403), (org.teacher, 403), (org.student, 403)):
        _login(auth, user.username)
        assert client.post(url, data={"reason": "Đã kiểm tra lại"}).status_code == status
    _login(auth, org.school_admin.username)
    empty = client.post(url, data={"reason": ""})
    assert empty.status_code == 400
    assert "Hãy ghi lý do cho cấp lại." in empty.get_data(as_text=True)
    assert _fresh(vneid_certificate).reenabled_at is None
    assert _current(CertificateKind.TASK) == []


def test_re_enabling_restores_the_session_and_issues_a_new_certificate(
    client, auth, org, vneid_certificate, runner
):
    services.revoke_certificate(vneid_certificate, org.school_admin, REASON)
    db.session.commit()
    _login(auth, org.school_admin.username)
    detail = client.get(f"/certificates/{vneid_certificate.id}").get_data(as_text=True)
    assert "Cho cấp lại" in detail

    response = client.post(
        f"/certificates/{vneid_certificate.id}/reenable",
        data={"reason": "Cô đã gặp bà, bà tự làm được"},
    )

    assert response.status_code == 302
    old = _fresh(vneid_certificate)
    assert old.is_revoked  # the revoked paper stays revoked
    assert old.reenabled_by_id == org.school_admin.id
    assert old.reenable_reason == "Cô đã gặp bà, bà tự làm được"
    [new] = _current(CertificateKind.TASK)
    assert new.id != old.id and new.code != old.code
    assert response.headers["Location"].endswith(f"/certificates/{new.id}")
    guided = db.session.get(GuidedSession, old.source_session_id)
    assert guided.review_status == ReviewStatus.CONFIRMED
    assert "Đã cấp 0 giấy chứng nhận" in runner.invoke(args=["certificates", "issue"]).output

    again = client.post(
        f"/certificates/{vneid_certificate.id}/reenable", data={"reason": "Lần nữa cho chắc"}
    )
    assert again.status_code == 409
    assert "đã được cho cấp lại từ trước" in again.get_data(as_text=True)
    assert len(_current(CertificateKind.TASK)) == 1


def test_an_automatic_withdrawal_is_not_something_to_re_enable(org, grandma, vneid_certificate):
    guided = db.session.get(GuidedSession, vneid_certificate.source_session_id)
    guided.review_status = ReviewStatus.REJECTED
    db.session.commit()
    services.issue_for_session(guided)
    db.session.commit()
    assert _fresh(vneid_certificate).is_revoked
    with pytest.raises(services.CertificateError):
        services.reenable_certificate(vneid_certificate, org.school_admin, "Đã kiểm tra lại")


# --- learners: path and domain certificates -------------------------------------------------


def _pass_quiz_over_http(client, user, lesson_id: str) -> None:
    content = get_content()
    lesson = content.lesson(lesson_id)
    quiz = content.quiz(lesson.quiz_id)
    url = f"/learn/quizzes/{quiz.id}"
    html = client.get(url).get_data(as_text=True)
    paper_text = re.search(r'name="paper" type="hidden" value="([^"]+)"', html) or re.search(
        r'type="hidden" name="paper" value="([^"]+)"', html
    )
    with client.application.test_request_context():
        paper = quiz_papers.read_paper(paper_text.group(1), user, quiz)
    answers: dict = {}
    for question in paper.questions(quiz):
        answers.update(_answer(question, wrong=False))
    response = client.post(url, data={"paper": paper_text.group(1), **answers})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_passing_the_last_quiz_of_the_path_over_http_issues_the_path_certificate(client, auth, org):
    content = get_content()
    path = content.path("core-tc1")
    with_quiz = [i for i in path.lesson_ids if content.lesson(i).quiz_id]
    last = with_quiz[-1]
    pass_lessons(org.student, [i for i in path.lesson_ids if i != last], content)
    assert _current(CertificateKind.PATH) == []
    _login(auth, org.student.username)

    _pass_quiz_over_http(client, org.student, last)

    [certificate] = _current(CertificateKind.PATH, holder_user_id=org.student.id)
    assert certificate.achievement_id == "core-tc1"
    assert path.title in client.get("/certificates/").get_data(as_text=True)


def test_a_revoked_path_certificate_is_not_issued_again_by_a_new_pass_or_the_cron_job(
    client, auth, org, runner
):
    content = get_content()
    path = content.path("core-tc1")
    pass_lessons(org.student, path.lesson_ids, content)
    [certificate] = [
        c for c in services.issue_for_user(org.student).issued if c.kind == CertificateKind.PATH
    ]
    db.session.commit()
    services.revoke_certificate(certificate, org.school_admin, "Bài làm có dấu hiệu gian lận")
    db.session.commit()

    _login(auth, org.student.username)
    last = [i for i in path.lesson_ids if content.lesson(i).quiz_id][-1]
    _pass_quiz_over_http(client, org.student, last)  # passes it once more
    runner.invoke(args=["certificates", "issue"])

    assert _current(CertificateKind.PATH) == []
    services.reenable_certificate(certificate, org.school_admin, "Đã làm lại trước mặt cô")
    db.session.commit()
    [again] = _current(CertificateKind.PATH)
    assert again.id != certificate.id


def test_a_revoked_domain_certificate_is_not_issued_again(org):
    content = get_content()
    domain = content.framework.domain("4")
    lessons = {
        lesson.id
        for competence in domain.competences
        for lesson in content.lessons_for("student", competence=competence.code, level="TC1")
    }
    pass_lessons(org.student, sorted(lessons), content)
    [certificate] = [
        c for c in services.issue_for_user(org.student).issued if c.kind == CertificateKind.DOMAIN
    ]
    db.session.commit()
    services.revoke_certificate(certificate, org.school_admin, "Cấp nhầm người")
    db.session.commit()

    assert services.issue_for_user(org.student).issued == []
    assert services.issue_pending_certificates().issued == []
    db.session.commit()
    assert _current(CertificateKind.DOMAIN) == []


def test_a_session_left_open_when_the_task_was_revoked_is_never_confirmed_automatically(app, org):
    from app.guided import services as guided
    from tests.guided_support import answer_all, record_all, register, start

    with app.test_request_context():
        link_ = register(org.student)
        first = start(org.student, link_.relative_id, VNEID)
        record_all(first)
        guided.begin_check(first, first.version)
        answer_all(first)
        if first.review_status != ReviewStatus.CONFIRMED:
            from app.guided import review

            review.confirm(first, org.teacher, None, first.version)
        [certificate] = _current(CertificateKind.TASK)
        # A second phone had another session open for the same task.
        other = factories.user(Role.STUDENT, org.school, username="anh-trai")
        link(other, db.session.get(type(link_.relative), link_.relative_id))
        second = start(other, link_.relative_id, VNEID)
        services.revoke_certificate(certificate, org.school_admin, REASON)
        db.session.commit()
        record_all(second)
        guided.begin_check(second, second.version)
        answer_all(second)
    assert second.status == SessionStatus.PASSED
    assert second.review_status == ReviewStatus.PENDING
    assert _current(CertificateKind.TASK) == []
