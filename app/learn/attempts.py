"""Grading a quiz paper, recording the attempt, and reading an attempt back.

Grading goes through the question-type registry only, so a new question type needs no
change here. Each attempt stores, besides the ids, answers and right/wrong the reports
read, a small snapshot of every question as it was asked (prompt, option texts, right
answer, feedback, explanation): editing or deleting a question later never makes an old
attempt unreadable, and the review never has to guess what the learner saw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.content.models import Quiz
from app.content.questions import InvalidAnswer, Question, question_type
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn.awards import award_certificates
from app.learn.quiz_papers import Paper
from app.learn.services import mark_completed
from app.models.base import utcnow
from app.models.progress import QuizAttempt, QuizResult
from app.models.users import User


class DuplicateSubmission(Exception):
    """This paper was already graded: the attempt it produced is ``attempt``."""

    def __init__(self, attempt: QuizAttempt) -> None:
        super().__init__(attempt.id)
        self.attempt = attempt


def attempt_for_token(submission_token: str) -> QuizAttempt | None:
    return db.session.scalar(
        sa.select(QuizAttempt).where(QuizAttempt.submission_token == submission_token)
    )


def record_attempt(
    user: User,
    quiz: Quiz,
    paper: Paper,
    values: dict[str, list[str]],
    parsed: dict[str, Any],
    content: ContentRegistry,
) -> QuizAttempt:
    """Grade and store one attempt, update the learner's result for the quiz, and, when
    passed, mark the quiz's lesson completed: all in one transaction (committed here).

    Raises DuplicateSubmission when the paper's submission token was already used (double
    click, second tab, replayed form): the unique token lets only one attempt in, even
    when two requests race.
    """
    for _try in range(3):  # a retry only when two first attempts race for the result row
        existing = attempt_for_token(paper.submission_token)
        if existing is not None:
            raise DuplicateSubmission(existing)
        try:
            attempt = _store(user, quiz, paper, values, parsed, content)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        if attempt.passed:
            award_certificates(user)
        return attempt
    raise RuntimeError("could not record the attempt")  # pragma: no cover


def _store(user, quiz, paper, values, parsed, content) -> QuizAttempt:
    questions = paper.questions(quiz)
    correct: dict[str, bool] = {}
    snapshots: dict[str, dict[str, Any]] = {}
    for question in questions:
        result = question_type(question.type).grade(question, parsed[question.id])
        correct[question.id] = result.correct
        snapshots[question.id] = snapshot(question, result)
    score = round(100 * sum(correct.values()) / len(questions)) if questions else 0
    passed = score >= quiz.pass_mark
    now = utcnow()
    attempt = QuizAttempt(
        user_id=user.id,
        quiz_id=quiz.id,
        quiz_version=quiz.version,
        submission_token=paper.submission_token,
        details={
            "questions": [q.id for q in questions],
            "answers": {q.id: values[q.id] for q in questions},
            "correct": correct,
            "snapshot": snapshots,
            "pass_mark": quiz.pass_mark,
        },
        score=score,
        passed=passed,
        created_at=now,
    )
    db.session.add(attempt)
    db.session.flush()  # a used submission token fails here, before anything else changes
    _update_result(user, quiz.id, score, passed, now)
    lesson = content.lesson_for_quiz(quiz.id)
    if passed and lesson is not None:
        mark_completed(user, lesson.id)
    user.last_active_at = now
    return attempt


def _update_result(user: User, quiz_id: str, score: int, passed: bool, now) -> None:
    result = db.session.scalar(
        sa.select(QuizResult)
        .where(QuizResult.user_id == user.id, QuizResult.quiz_id == quiz_id)
        .with_for_update()  # two attempts at once must both be counted
    )
    if result is None:
        result = QuizResult(
            user_id=user.id, quiz_id=quiz_id, best_score=score, passed=False,
            attempt_count=0, failed_count=0,
        )  # fmt: skip
        db.session.add(result)
    result.best_score = max(result.best_score, score)
    result.attempt_count += 1
    result.last_attempt_at = now
    if passed and not result.passed:
        result.passed, result.passed_at = True, now
    if not passed:
        result.failed_count += 1


def snapshot(question: Question, result=None) -> dict[str, Any]:
    """What the review needs of a question as asked: texts, right answer, feedback."""
    kind = question_type(question.type)
    view = kind.public_view(question, random.Random(0), False)  # noqa: S311
    return {
        "type": question.type,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "choices": [[e["id"], e["text"]] for e in view.get("options", view.get("items", []))],
        "correct_answer": result.correct_answer_view if result else None,
        "feedback": list(result.feedback) if result else [],
    }


# --- reading an attempt back ---------------------------------------------------------------


@dataclass(frozen=True)
class ShownChoice:
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    type: str | None  # None when the question no longer exists and was not snapshotted
    prompt: str | None
    correct: bool
    choices: list[ShownChoice]  # choice questions: every option, marked
    answer_texts: list[str]  # ordering: the learner's order
    correct_texts: list[str]  # ordering: the right order
    said: bool | None  # true/false: what the learner answered
    truth: bool | None  # true/false: the right answer
    feedback: list[str]
    explanation: str | None


@dataclass(frozen=True)
class AttemptReview:
    attempt: QuizAttempt
    quiz: Quiz | None
    title: str
    pass_mark: int | None
    outdated: bool  # graded against an earlier version of the quiz
    questions: list[ReviewedQuestion]

    @property
    def right_count(self) -> int:
        return sum(q.correct for q in self.questions)


def review_attempt(attempt: QuizAttempt, content: ContentRegistry) -> AttemptReview:
    """The attempt as the result page shows it, from its stored details; falls back on the
    current quiz for attempts stored without snapshots."""
    quiz = content.quiz(attempt.quiz_id)
    details = attempt.details or {}
    answers: dict[str, list[str]] = details.get("answers", {})
    correct: dict[str, bool] = details.get("correct", {})
    snapshots: dict[str, dict] = details.get("snapshot", {})
    reviewed = []
    for number, qid in enumerate(details.get("questions", []), start=1):
        snap = snapshots.get(qid) or _current_snapshot(quiz, qid, answers.get(qid, []))
        reviewed.append(_review(number, snap, answers.get(qid, []), bool(correct.get(qid))))
    return AttemptReview(
        attempt=attempt,
        quiz=quiz,
        title=quiz.title if quiz else attempt.quiz_id,
        pass_mark=details.get("pass_mark", quiz.pass_mark if quiz else None),
        outdated=quiz is None or quiz.version != attempt.quiz_version,
        questions=reviewed,
    )


def _current_snapshot(quiz: Quiz | None, qid: str, values: list[str]) -> dict[str, Any]:
    question = quiz.question(qid) if quiz else None
    if question is None:
        return {"type": None, "prompt": None, "choices": [], "feedback": []}
    kind = question_type(question.type)
    try:
        result = kind.grade(question, kind.parse_answer(question, values))
    except InvalidAnswer:  # the options changed since: show the texts, not the verdict
        result = None
    return snapshot(question, result)


def _review(number: int, snap: dict[str, Any], values: list[str], correct: bool):
    texts = dict(snap.get("choices") or [])
    right = snap.get("correct_answer") or {}
    kind = snap.get("type")
    choices, answer_texts, correct_texts = [], [], []
    said = truth = None
    if kind in ("single_choice", "multiple_choice"):
        right_ids = {o["id"] for o in right.get("options", [])}
        choices = [
            ShownChoice(text, option_id in values, option_id in right_ids)
            for option_id, text in texts.items()
        ]
        choices += [ShownChoice(v, True, False) for v in values if v not in texts]
    elif kind == "true_false":
        said = values[0] == "true" if values else None
        truth = bool(right["answer"]) if "answer" in right else None
    else:  # ordering, or a question type this page does not know
        answer_texts = [texts.get(v, v) for v in values]
        correct_texts = [i["text"] for i in right.get("items", [])]
    return ReviewedQuestion(
        number=number,
        type=kind,
        prompt=snap.get("prompt"),
        correct=correct,
        choices=choices,
        answer_texts=answer_texts,
        correct_texts=correct_texts,
        said=said,
        truth=truth,
        feedback=list(snap.get("feedback") or []),
        explanation=snap.get("explanation"),
    )


def attempts_of(user: User, quiz_id: str) -> list[QuizAttempt]:
    """The learner's attempts at one quiz, newest first."""
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz_id)
            .order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())
        )
    )


def own_attempt(user: User, attempt_id: int) -> QuizAttempt | None:
    """The attempt if it exists and is this learner's; None otherwise (the route 404s, so
    nobody learns whether someone else's attempt exists)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user.id else None
