"""Issuing rules: who gets which certificate, once, and what happens when things change."""

from __future__ import annotations

import sqlalchemy as sa

from app.certificates import services
from app.certificates.credentials import check_credential
from app.certificates.identity import platform_key
from app.content import get_content
from app.extensions import db
from app.models import Certificate, CertificateKind, ReviewStatus, Role, SessionStatus
from tests.certificates_support import (  # noqa: F401 - certificate_files is a fixture
    SCAM,
    VNEID,
    ZALO,
    certificate_files,
    link,
    of_kind,
    pass_lessons,
    relative,
    session,
)


def _issue(guided_session):
    report = services.issue_for_session(guided_session)
    db.session.commit()
    return report


def test_a_confirmed_passed_session_gives_the_relative_one_task_certificate(org):
    grandma = relative(org.student)
    guided = session(org.student, grandma, VNEID, reviewer=org.teacher)

    report = _issue(guided)

    [certificate] = report.issued
    assert certificate.kind == CertificateKind.TASK
    assert certificate.holder_relative_id == grandma.id
    assert certificate.holder_name == "Nguyễn Thị Hường"
    assert certificate.achievement_id == "vneid-level2"
    assert "VNeID" in certificate.achievement_title
    assert certificate.competences == ["2.3", "2.6", "4.1", "4.2"]  # framework order
    assert certificate.level == "CB2"
    assert certificate.school_name == "Trường THCS Dương Quan"
    assert certificate.guided_by_name == "Trần Minh An"
    assert certificate.details["guided_by_class"] == "6A1"
    assert certificate.confirmed_by_name == "Nguyễn Thu Hà"
    assert certificate.source_session_id == guided.id
    assert certificate.is_current


def test_issuing_is_idempotent_and_never_twice_for_the_same_relative_and_task(org):
    grandma = relative(org.student)
    first = session(org.student, grandma, VNEID, reviewer=org.teacher)
    _issue(first)
    assert _issue(first).issued == []
    # Another confirmed session for the same task (a sibling guided her again): no second one.
    link(org.classmate, grandma)
    again = session(org.classmate, grandma, VNEID, reviewer=org.teacher)
    assert _issue(again).issued == []
    services.issue_pending_certificates()
    db.session.commit()
    assert len(of_kind(CertificateKind.TASK)) == 1


def test_sessions_not_passed_or_not_confirmed_give_nothing(org):
    grandma = relative(org.student)
    for status, review in [
        (SessionStatus.PASSED, ReviewStatus.PENDING),
        (SessionStatus.NOT_YET, ReviewStatus.NONE),
        (SessionStatus.IN_PROGRESS, ReviewStatus.NONE),
        (SessionStatus.PASSED, ReviewStatus.REJECTED),
    ]:
        _issue(session(org.student, grandma, VNEID, org.teacher, review=review, status=status))
    services.issue_pending_certificates()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_the_signed_credential_verifies_with_the_platform_key(org):
    grandma = relative(org.student)
    [certificate] = _issue(session(org.student, grandma, VNEID, reviewer=org.teacher)).issued
    credential = certificate.credential
    assert check_credential(credential, platform_key().public_key()).valid
    assert credential["id"] == f"https://cunghocso.example/verify/{certificate.code}"
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Hường"
    codes = [a["targetCode"] for a in subject["achievement"]["alignment"]]
    assert codes == ["2.3", "2.6", "4.1", "4.2"]
    assert subject["source"]["name"] == "Trường THCS Dương Quan"
    # Nothing the paper does not need to travel: no phone, birth year or pupil's name.
    text = str(credential)
    for private in ("0912345678", "1956", "Trần Minh An", "Nguyễn Thu Hà"):
        assert private not in text


def test_a_second_task_brings_a_combined_certificate_listing_both(org):
    grandma = relative(org.student)
    _issue(session(org.student, grandma, VNEID, reviewer=org.teacher))
    assert of_kind(CertificateKind.COMBINED) == []

    report = _issue(session(org.student, grandma, SCAM, reviewer=org.teacher))

    kinds = sorted(c.kind.value for c in report.issued)
    assert kinds == ["combined", "task"]
    [combined] = of_kind(CertificateKind.COMBINED)
    tasks = [part["achievement_id"] for part in combined.details["parts"]]
    assert tasks == ["vneid-level2", "scam-awareness"]  # in the order they were achieved
    assert combined.achievement_title == "Thành thạo 2 kỹ năng số thiết yếu"
    assert set(combined.competences) == {"1.2", "2.3", "2.5", "2.6", "4.1", "4.2", "4.3"}
    assert check_credential(combined.credential, platform_key().public_key()).valid
    evidence = [e["id"] for e in combined.credential["evidence"]]
    assert all(url.startswith("https://cunghocso.example/verify/") for url in evidence)


def test_a_third_task_supersedes_the_combined_certificate_with_a_new_one(org):
    grandma = relative(org.student)
    for walkthrough in (VNEID, SCAM):
        _issue(session(org.student, grandma, walkthrough, reviewer=org.teacher))
    [old] = of_kind(CertificateKind.COMBINED)
    old_code, old_credential = old.code, dict(old.credential)

    report = _issue(session(org.student, grandma, ZALO, reviewer=org.teacher))

    assert [c.kind for c in report.superseded] == [CertificateKind.COMBINED]
    db.session.refresh(old)
    assert old.is_superseded and not old.is_revoked
    assert old.code == old_code and old.credential == old_credential  # never rewritten
    current = [c for c in of_kind(CertificateKind.COMBINED) if c.is_current]
    assert len(current) == 1 and old.superseded_by_id == current[0].id
    assert len(current[0].details["parts"]) == 3
    # Running everything again changes nothing.
    assert services.issue_pending_certificates().issued == []


def test_a_rejected_session_withdraws_its_certificate_and_the_combined_one(org):
    grandma = relative(org.student)
    kept = session(org.student, grandma, VNEID, reviewer=org.teacher)
    doubtful = session(org.student, grandma, SCAM, reviewer=org.teacher)
    _issue(kept)
    _issue(doubtful)
    [combined] = of_kind(CertificateKind.COMBINED)

    doubtful.review_status = ReviewStatus.REJECTED  # after a phone call to the family
    db.session.commit()
    report = _issue(doubtful)

    revoked = {c.kind for c in report.revoked}
    assert revoked == {CertificateKind.TASK, CertificateKind.COMBINED}
    [scam] = of_kind(CertificateKind.TASK, achievement_id="scam-awareness")
    assert scam.is_revoked and scam.revoke_reason
    db.session.refresh(combined)
    assert combined.is_revoked  # it listed a task that no longer stands
    assert [c for c in of_kind(CertificateKind.COMBINED) if c.is_current] == []
    [vneid] = of_kind(CertificateKind.TASK, achievement_id="vneid-level2")
    assert vneid.is_current


def test_issue_pending_catches_up_with_sessions_confirmed_meanwhile(org, runner):
    grandma = relative(org.student)
    session(org.student, grandma, VNEID, reviewer=org.teacher)
    session(org.student, grandma, SCAM, reviewer=org.teacher)

    result = runner.invoke(args=["certificates", "issue"])

    assert result.exit_code == 0, result.output
    assert "Đã cấp 3 giấy chứng nhận" in result.output
    assert len(of_kind(CertificateKind.TASK)) == 2
    assert len(of_kind(CertificateKind.COMBINED)) == 1
    again = runner.invoke(args=["certificates", "issue"])
    assert "Đã cấp 0 giấy chứng nhận" in again.output


def test_a_combined_certificate_revoked_by_hand_is_not_issued_again(org):
    grandma = relative(org.student)
    for walkthrough in (VNEID, SCAM):
        _issue(session(org.student, grandma, walkthrough, reviewer=org.teacher))
    [combined] = of_kind(CertificateKind.COMBINED)
    services.revoke_certificate(combined, org.school_admin, "In sai, cần in lại")
    db.session.commit()

    assert services.issue_pending_certificates().issued == []
    # Revocation is final: a new task does not bring a combined certificate back either…
    report = _issue(session(org.student, grandma, ZALO, reviewer=org.teacher))
    assert {c.kind for c in report.issued} == {CertificateKind.TASK}
    assert services.issue_pending_certificates().issued == []
    # …until a school admin re-enables it: then one combined certificate lists all three.
    report = services.reenable_certificate(combined, org.school_admin, "Đã in lại đúng tên")
    db.session.commit()
    [again] = [c for c in report.issued if c.kind == CertificateKind.COMBINED]
    assert len(again.details["parts"]) == 3 and again.is_current


def test_a_student_who_completes_their_grade_path_gets_a_path_certificate(org):
    content = get_content()
    path = content.path("core-tc1")
    pass_lessons(org.student, path.lesson_ids[:-1], content)
    issued = services.issue_for_user(org.student).issued
    assert [c for c in issued if c.kind == CertificateKind.PATH] == []

    pass_lessons(org.student, path.lesson_ids[-1:], content)
    report = services.issue_for_user(org.student)
    db.session.commit()

    [certificate] = [c for c in report.issued if c.kind == CertificateKind.PATH]
    assert certificate.holder_user_id == org.student.id
    assert certificate.achievement_title == path.title
    assert certificate.level == "TC1"
    assert certificate.details["holder_class"] == "6A1"
    assert certificate.confirmed_by_name is None
    assert services.issue_for_user(org.student).issued == []


def test_a_learner_who_achieves_a_whole_domain_gets_a_domain_certificate(org):
    content = get_content()
    domain = content.framework.domain("4")
    lessons = {
        lesson.id
        for competence in domain.competences
        for lesson in content.lessons_for("student", competence=competence.code, level="TC1")
    }
    pass_lessons(org.student, sorted(lessons), content)

    report = services.issue_for_user(org.student)
    db.session.commit()

    domains = [c for c in report.issued if c.kind == CertificateKind.DOMAIN]
    assert [c.achievement_id for c in domains] == ["4"]
    assert domains[0].competences == [c.code for c in domain.competences]
    assert domains[0].level == "TC1"


def test_staff_complete_their_own_path(org):
    content = get_content()
    [path] = content.paths_for("staff")
    pass_lessons(org.teacher, path.lesson_ids, content)
    [certificate] = [
        c for c in services.issue_for_user(org.teacher).issued if c.kind == CertificateKind.PATH
    ]
    assert certificate.level == path.level
    assert "holder_class" not in certificate.details


def test_ward_officers_and_admins_get_no_learner_certificates(org):
    for user in (org.ward_officer, org.admin):
        assert services.issue_for_user(user).issued == []
    assert org.ward_officer.role == Role.WARD_OFFICER
