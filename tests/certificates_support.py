"""Helpers for the certificate tests: relatives, confirmed sessions, progress rows.

Sessions are written directly (not through the guided flow): these tests are about what
certificates follow from a session's final state, which is the guided feature's contract.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import (
    Certificate,
    CertificateKind,
    GuidedSession,
    LessonProgress,
    LessonStatus,
    QuizResult,
    Relative,
    RelativeLink,
    ReviewStatus,
    SessionStatus,
    User,
)
from app.models.base import utcnow

VNEID = "nt-vneid-muc-2"  # task vneid-level2
SCAM = "nt-nhan-biet-lua-dao"  # task scam-awareness
ZALO = "nt-goi-video-zalo"  # task zalo-video-call


@pytest.fixture(autouse=True)
def certificate_files(app, tmp_path_factory, monkeypatch):
    """A throwaway signing key and PDF cache, never the ones under instance/."""
    keys = tmp_path_factory.getbasetemp() / "certificate-keys"
    monkeypatch.setitem(app.config, "SIGNING_KEY_PATH", str(keys / "signing_key.pem"))
    monkeypatch.setitem(
        app.config, "CERTIFICATE_CACHE_DIR", str(tmp_path_factory.mktemp("certificate-cache"))
    )
    monkeypatch.setitem(app.config, "SITE_URL", "https://cunghocso.example")


def relative(student: User, full_name: str = "Nguyễn Thị Hường", **fields) -> Relative:
    obj = Relative(
        school_id=student.school_id,
        full_name=full_name,
        birth_year=fields.pop("birth_year", 1956),
        phone=fields.pop("phone", "0912345678"),
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    link(student, obj)
    return obj


def link(student: User, relative_obj: Relative, relation: str = "bà nội") -> RelativeLink:
    obj = RelativeLink(
        student_id=student.id,
        relative_id=relative_obj.id,
        relation=relation,
        consent_on=date.today() - timedelta(days=3),
        parent_informed_on=date.today() - timedelta(days=3),
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def session(
    student: User,
    relative_obj: Relative,
    walkthrough_id: str = VNEID,
    reviewer: User | None = None,
    review: ReviewStatus = ReviewStatus.CONFIRMED,
    status: SessionStatus = SessionStatus.PASSED,
) -> GuidedSession:
    """A finished guided session in the state given (confirmed and passed by default)."""
    now = utcnow()
    obj = GuidedSession(
        student_id=student.id,
        relative_id=relative_obj.id,
        walkthrough_id=walkthrough_id,
        walkthrough_version="test",
        status=status,
        review_status=review,
        reviewed_by_id=reviewer.id if reviewer else None,
        reviewed_at=now if reviewer else None,
        started_at=now - timedelta(minutes=20),
        finished_at=now,
        check_score=100,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def pass_lessons(user: User, lesson_ids, content) -> None:
    """Mark lessons completed and their quizzes passed, as the learn feature records it."""
    now = utcnow()
    for lesson_id in lesson_ids:
        db.session.add(
            LessonProgress(
                user_id=user.id, lesson_id=lesson_id, status=LessonStatus.COMPLETED,
                completed_at=now,
            )
        )  # fmt: skip
        quiz_id = content.lesson(lesson_id).quiz_id
        if quiz_id:
            db.session.add(
                QuizResult(
                    user_id=user.id, quiz_id=quiz_id, best_score=100, passed=True,
                    attempt_count=1, passed_at=now,
                )
            )  # fmt: skip
    db.session.commit()


def of_kind(kind: CertificateKind, **filters) -> list[Certificate]:
    return list(db.session.scalars(db.select(Certificate).filter_by(kind=kind, **filters)))
