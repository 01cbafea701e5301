"""True/false questions: a statement the learner judges right or wrong."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from app.content.problems import ProblemLog
from app.content.questions.base import GradeResult, InvalidAnswer, Question, QuestionType
from app.content.schema import Field, FieldType
from app.content.yaml_source import YamlMap

FORM_VALUES = {"true": True, "false": False}


@dataclass(frozen=True, kw_only=True)
class TrueFalseQuestion(Question):
    answer: bool
    feedback_true: str | None = None  # shown to whoever answered "true"
    feedback_false: str | None = None


class TrueFalse(QuestionType[TrueFalseQuestion]):
    name = "true_false"
    question_class: ClassVar[type[Question]] = TrueFalseQuestion
    fields: ClassVar[dict[str, Field]] = {
        "answer": Field(FieldType.BOOL),
        "feedback_true": Field(FieldType.TEXT, required=False),
        "feedback_false": Field(FieldType.TEXT, required=False),
    }

    def parse_fields(self, raw: YamlMap, values: dict[str, Any], log: ProblemLog) -> dict[str, Any]:
        return {name: values.get(name) for name in self.fields}

    def public_view(
        self, question: TrueFalseQuestion, rng: random.Random, shuffle: bool
    ) -> dict[str, Any]:
        return self.base_view(question)

    def parse_answer(self, question: TrueFalseQuestion, values: list[str]) -> bool:
        if len(values) != 1 or values[0] not in FORM_VALUES:
            raise InvalidAnswer("a true_false answer is 'true' or 'false'")
        return FORM_VALUES[values[0]]

    def grade(self, question: TrueFalseQuestion, answer: bool) -> GradeResult:
        feedback = question.feedback_true if answer else question.feedback_false
        return GradeResult(
            correct=answer == question.answer,
            feedback=(feedback,) if feedback else (),
            correct_answer_view=self.correct_answer_view(question),
        )

    def correct_answer_view(self, question: TrueFalseQuestion) -> dict[str, Any]:
        return {"answer": question.answer}
