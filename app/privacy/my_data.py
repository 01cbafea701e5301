"""A copy of a person's own data: one function builds it, the page and the JSON file
both render it (so they cannot disagree).

Only the person's own data and what they registered themselves: a student gets the
relatives they registered (as registered, with their own sessions), a parent gets her own
relative record and the names of the children linked to her, never anyone else's data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Certificate,
    Classroom,
    DeletionRequest,
    Enrollment,
    GuidedSession,
    LessonProgress,
    ParentLink,
    QuizResult,
    Relative,
    RelativeLink,
    User,
)

SCHEMA_VERSION = 1


def _when(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    return value.isoformat()


def personal_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "role": str(user.role),
            "school": user.school.name if user.school else None,
            "birth_year": user.birth_year,
            "birth_date": _when(user.birth_date),
            "school_code": user.external_code,
            "created_at": _when(user.created_at),
            "last_active_at": _when(user.last_active_at),
        },
        "classes": [
            {"class": name, "grade": grade, "school_year": year}
            for name, grade, year in db.session.execute(
                sa.select(Classroom.name, Classroom.grade, Classroom.school_year)
                .join(Enrollment, Enrollment.classroom_id == Classroom.id)
                .where(Enrollment.student_id == user.id)
                .order_by(Classroom.school_year)
            )
        ],
        "lessons": [
            {"lesson": p.lesson_id, "status": str(p.status), "completed_at": _when(p.completed_at)}
            for p in db.session.scalars(
                sa.select(LessonProgress)
                .where(LessonProgress.user_id == user.id)
                .order_by(LessonProgress.started_at)
            )
        ],
        "quizzes": [
            {
                "quiz": r.quiz_id,
                "best_score": r.best_score,
                "passed": r.passed,
                "attempts": r.attempt_count,
                "passed_at": _when(r.passed_at),
            }
            for r in db.session.scalars(
                sa.select(QuizResult).where(QuizResult.user_id == user.id).order_by(QuizResult.id)
            )
        ],
        "certificates": _certificates(Certificate.holder_user_id == user.id),
        "relatives_registered": _registered_relatives(user),
        "children_followed": [
            {"name": name, "relation": relation}
            for name, relation in db.session.execute(
                sa.select(User.full_name, ParentLink.relation)
                .join(User, User.id == ParentLink.student_id)
                .where(ParentLink.parent_id == user.id)
                .order_by(ParentLink.id)
            )
        ],
        "as_relative": _as_relative(user),
        "deletion_requests": [
            {
                "asked_at": _when(r.created_at),
                "status": str(r.status),
                "decided_at": _when(r.decided_at),
                "decision_reason": r.decision_reason,
            }
            for r in db.session.scalars(
                sa.select(DeletionRequest)
                .where(DeletionRequest.requester_id == user.id)
                .order_by(DeletionRequest.created_at)
            )
        ],
    }
    return data


def _certificates(condition) -> list[dict[str, Any]]:
    query = sa.select(Certificate).where(condition).order_by(Certificate.id)
    return [
        {
            "code": c.code,
            "title": c.achievement_title,
            "holder_name": c.holder_name,
            "issued_at": _when(c.issued_at),
            "revoked": c.revoked_at is not None,
        }
        for c in db.session.scalars(query)
    ]


def _sessions(condition) -> list[dict[str, Any]]:
    return [
        {
            "walkthrough": s.walkthrough_id,
            "started_at": _when(s.started_at),
            "finished_at": _when(s.finished_at),
            "status": str(s.status),
            "check_score": s.check_score,
            "review": str(s.review_status),
        }
        for s in db.session.scalars(
            sa.select(GuidedSession).where(condition).order_by(GuidedSession.started_at)
        )
    ]


def _registered_relatives(student: User) -> list[dict[str, Any]]:
    links = db.session.scalars(
        sa.select(RelativeLink)
        .where(RelativeLink.student_id == student.id)
        .order_by(RelativeLink.id)
    )
    return [
        {
            "full_name": link.relative.full_name,
            "birth_year": link.relative.birth_year,
            "phone": link.relative.phone,
            "relation": link.relation,
            "consent_on": _when(link.consent_on),
            "parent_informed_on": _when(link.parent_informed_on),
            "sessions_you_guided": _sessions(
                sa.and_(
                    GuidedSession.relative_id == link.relative_id,
                    GuidedSession.student_id == student.id,
                )
            ),
        }
        for link in links
    ]


def _as_relative(user: User) -> dict[str, Any] | None:
    relative = db.session.scalar(sa.select(Relative).where(Relative.account_id == user.id))
    if relative is None:
        return None
    return {
        "full_name": relative.full_name,
        "birth_year": relative.birth_year,
        "phone": relative.phone,
        "registered_at": _when(relative.created_at),
        "sessions": _sessions(GuidedSession.relative_id == relative.id),
        "certificates": _certificates(Certificate.holder_relative_id == relative.id),
    }
