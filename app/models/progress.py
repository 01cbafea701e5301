"""Learners' progress through file-based content.

Rows refer to lessons and quizzes by their stable content id (a string), never by a
foreign key, so content files can be edited, moved or re-imported without breaking
anyone's history (the Kolibri logger pattern).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import enum_type, utcnow

CONTENT_ID = sa.String(100)


class LessonStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class LessonProgress(db.Model):
    """One learner's state on one lesson (absent row = not started)."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(CONTENT_ID)
    status: Mapped[LessonStatus] = mapped_column(enum_type(LessonStatus, "lesson_status"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuizAttempt(db.Model):
    """One submitted attempt, kept with the quiz version it was graded against.

    ``submission_token`` is issued with the quiz form; its uniqueness makes a double
    click or a second tab record one attempt, not two.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (sa.Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    quiz_id: Mapped[str] = mapped_column(CONTENT_ID)
    quiz_version: Mapped[str] = mapped_column(sa.String(64))
    submission_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # {"questions": [...ids asked, in order], "answers": {qid: [...]}, "correct": {qid: bool}}
    details: Mapped[dict] = mapped_column(sa.JSON)
    score: Mapped[int]  # percent 0–100
    passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizResult(db.Model):
    """Per learner and quiz: best score and whether it was ever passed (read by reports)."""

    __tablename__ = "quiz_results"
    __table_args__ = (sa.UniqueConstraint("user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    quiz_id: Mapped[str] = mapped_column(CONTENT_ID)
    best_score: Mapped[int]
    passed: Mapped[bool]
    attempt_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    passed_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
