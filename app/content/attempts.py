"""One attempt at a quiz: what the learner is shown, and the score of what they send.

Routes keep two things between showing and grading: the ids of the questions asked (from
``Quiz.draw``) and the seed of the ``random.Random`` used, so a reload shows the same page.
Grading happens here, on the server, against the quiz in memory; compare ``quiz.version``
with the version stored at show time to notice a quiz edited in between.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.content.models import Quiz
from app.content.questions import (
    GradeResult,
    InvalidAnswer,
    Question,
    QuestionType,
    question_type,
)


def public_views(
    quiz: Quiz, questions: Sequence[Question], rng: random.Random
) -> list[dict[str, Any]]:
    """What the learner sees of each question, options shuffled if the quiz says so."""
    return [_type_of(q).public_view(q, rng, quiz.shuffle_options) for q in questions]


@dataclass(frozen=True)
class QuestionOutcome:
    question: Question
    values: tuple[str, ...]  # as submitted; () when unanswered
    result: GradeResult


@dataclass(frozen=True)
class AttemptResult:
    quiz: Quiz
    outcomes: tuple[QuestionOutcome, ...]  # in the order asked

    @property
    def correct_count(self) -> int:
        return sum(outcome.result.correct for outcome in self.outcomes)

    @property
    def score(self) -> int:
        """Percent of questions right, rounded down: ``score >= pass_mark`` iff passed."""
        return self.correct_count * 100 // len(self.outcomes) if self.outcomes else 0

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and self.score >= self.quiz.pass_mark

    def details(self) -> dict[str, Any]:
        """The JSON kept with a stored attempt: questions asked, answers, which were right."""
        return {
            "questions": [o.question.id for o in self.outcomes],
            "answers": {o.question.id: list(o.values) for o in self.outcomes},
            "correct": {o.question.id: o.result.correct for o in self.outcomes},
        }


def grade_attempt(
    quiz: Quiz, question_ids: Sequence[str], answers: Mapping[str, Sequence[str]]
) -> AttemptResult:
    """Grade the submitted values (by question id) of the questions asked.

    ``answers`` is like ``request.form.to_dict(flat=False)``; empty values count as
    unanswered (wrong). Raises ``InvalidAnswer`` for a question id not in the quiz or a
    value no honest form could send.
    """
    outcomes = []
    for question_id in question_ids:
        question = quiz.question(question_id)
        if question is None:
            raise InvalidAnswer(f"question '{question_id}' is not in quiz '{quiz.id}'")
        kind = _type_of(question)
        values = tuple(value for value in answers.get(question_id, ()) if value)
        if values:
            result = kind.grade(question, kind.parse_answer(question, list(values)))
        else:
            result = GradeResult(False, (), kind.correct_answer_view(question))
        outcomes.append(QuestionOutcome(question, values, result))
    return AttemptResult(quiz, tuple(outcomes))


def _type_of(question: Question) -> QuestionType:
    kind = question_type(question.type)
    if kind is None:  # cannot happen for a loaded quiz: unknown types are reported
        raise LookupError(f"no question type '{question.type}'")
    return kind
