"""Question types, looked up by the ``type`` a quiz file gives each question.

To add a type: write one ``QuestionType`` subclass in its own module and list it here.
"""

from __future__ import annotations

from app.content.questions.base import GradeResult, InvalidAnswer, Question, QuestionType
from app.content.questions.choice import ChoiceQuestion, MultipleChoice, Option, SingleChoice
from app.content.questions.ordering import Item, Ordering, OrderingQuestion
from app.content.questions.true_false import TrueFalse, TrueFalseQuestion

QUESTION_TYPES: dict[str, QuestionType] = {
    question_type.name: question_type
    for question_type in (SingleChoice(), MultipleChoice(), TrueFalse(), Ordering())
}


def question_type(name: str) -> QuestionType | None:
    """The type registered under ``name`` (a question's ``type``), or None."""
    return QUESTION_TYPES.get(name)


__all__ = [
    "QUESTION_TYPES",
    "ChoiceQuestion",
    "GradeResult",
    "InvalidAnswer",
    "Item",
    "Option",
    "OrderingQuestion",
    "Question",
    "QuestionType",
    "TrueFalseQuestion",
    "question_type",
]
