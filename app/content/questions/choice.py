"""Choice questions: pick the one right option, or every right option and no other."""

from __future__ import annotations

import random
from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from app.content.problems import ProblemLog
from app.content.questions.base import (
    ENTRY_FIELDS,
    GradeResult,
    InvalidAnswer,
    Question,
    QuestionType,
    read_entries,
)
from app.content.schema import Field, FieldType
from app.content.yaml_source import YamlMap

OPTION_COUNT = range(2, 7)
OPTION_FIELDS: dict[str, Field] = {
    **ENTRY_FIELDS,
    "correct": Field(FieldType.BOOL, required=False),
    "feedback": Field(FieldType.TEXT, required=False),
}


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str | None


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    options: tuple[Option, ...]  # in file order

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)


class _ChoiceType(QuestionType[ChoiceQuestion]):
    question_class: ClassVar[type[Question]] = ChoiceQuestion
    fields: ClassVar[dict[str, Field]] = {"options": Field(FieldType.LIST)}

    def parse_fields(self, raw: YamlMap, values: dict[str, Any], log: ProblemLog) -> dict[str, Any]:
        entries = read_entries(
            raw,
            "options",
            OPTION_FIELDS,
            log,
            noun="option",
            count=OPTION_COUNT,
            type_name=self.name,
        )
        if "options" in values:
            self.check_correct_count(raw, sum(e.get("correct", False) for e in entries), log)
        options = tuple(
            Option(e["id"], e["text"], e.get("correct", False), e.get("feedback"))
            for e in entries
            if "id" in e and "text" in e
        )
        return {"options": options}

    @abstractmethod
    def check_correct_count(self, raw: YamlMap, count: int, log: ProblemLog) -> None:
        """Report an options list whose number of correct options breaks this type's rule."""

    def public_view(
        self, question: ChoiceQuestion, rng: random.Random, shuffle: bool
    ) -> dict[str, Any]:
        options = list(question.options)
        if shuffle:
            rng.shuffle(options)
        return {
            **self.base_view(question),
            "options": [{"id": option.id, "text": option.text} for option in options],
        }

    def chosen_ids(self, question: ChoiceQuestion, values: list[str]) -> frozenset[str]:
        known = {option.id for option in question.options}
        if not values:
            raise InvalidAnswer("no option chosen")
        if len(set(values)) != len(values):
            raise InvalidAnswer("an option was sent twice")
        unknown = set(values) - known
        if unknown:
            raise InvalidAnswer(f"unknown option ids {sorted(unknown)}")
        return frozenset(values)

    def grade(self, question: ChoiceQuestion, answer: frozenset[str]) -> GradeResult:
        return GradeResult(
            correct=answer == question.correct_ids,
            feedback=tuple(
                option.feedback
                for option in question.options
                if option.id in answer and option.feedback
            ),
            correct_answer_view=self.correct_answer_view(question),
        )

    def correct_answer_view(self, question: ChoiceQuestion) -> dict[str, Any]:
        return {
            "options": [
                {"id": option.id, "text": option.text}
                for option in question.options
                if option.correct
            ]
        }


class SingleChoice(_ChoiceType):
    """Exactly one option is right; the learner picks one (radio buttons)."""

    name = "single_choice"

    def check_correct_count(self, raw: YamlMap, count: int, log: ProblemLog) -> None:
        if count != 1:
            log.at(
                raw,
                "options",
                f"single_choice questions need exactly one correct "
                f"option (correct: true), not {count}",
            )

    def parse_answer(self, question: ChoiceQuestion, values: list[str]) -> frozenset[str]:
        if len(values) > 1:
            raise InvalidAnswer("a single_choice question takes one option")
        return self.chosen_ids(question, values)


class MultipleChoice(_ChoiceType):
    """One or more options are right; every right one and no other must be chosen."""

    name = "multiple_choice"

    def check_correct_count(self, raw: YamlMap, count: int, log: ProblemLog) -> None:
        if count == 0:
            log.at(
                raw,
                "options",
                "multiple_choice questions need at least one correct option (correct: true)",
            )

    def parse_answer(self, question: ChoiceQuestion, values: list[str]) -> frozenset[str]:
        return self.chosen_ids(question, values)
