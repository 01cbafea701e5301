"""Ordering questions: put items in the right order (the file lists them in that order)."""

from __future__ import annotations

import random
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

ITEM_COUNT = range(3, 7)


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class OrderingQuestion(Question):
    items: tuple[Item, ...]  # in the correct order


class Ordering(QuestionType[OrderingQuestion]):
    name = "ordering"
    question_class: ClassVar[type[Question]] = OrderingQuestion
    fields: ClassVar[dict[str, Field]] = {"items": Field(FieldType.LIST)}

    def parse_fields(self, raw: YamlMap, values: dict[str, Any], log: ProblemLog) -> dict[str, Any]:
        entries = read_entries(
            raw, "items", ENTRY_FIELDS, log, noun="item", count=ITEM_COUNT, type_name=self.name
        )
        items = tuple(Item(e["id"], e["text"]) for e in entries if "id" in e and "text" in e)
        return {"items": items}

    def public_view(
        self, question: OrderingQuestion, rng: random.Random, shuffle: bool
    ) -> dict[str, Any]:
        """Items always shuffled, whatever ``shuffle`` says: file order is the answer."""
        items = list(question.items)
        rng.shuffle(items)
        if items == list(question.items):
            items = items[1:] + items[:1]
        return {
            **self.base_view(question),
            "items": [{"id": item.id, "text": item.text} for item in items],
        }

    def parse_answer(self, question: OrderingQuestion, values: list[str]) -> tuple[str, ...]:
        if sorted(values) != sorted(item.id for item in question.items):
            raise InvalidAnswer("an ordering answer lists every item id exactly once")
        return tuple(values)

    def grade(self, question: OrderingQuestion, answer: tuple[str, ...]) -> GradeResult:
        return GradeResult(
            correct=answer == tuple(item.id for item in question.items),
            feedback=(),
            correct_answer_view=self.correct_answer_view(question),
        )

    def correct_answer_view(self, question: OrderingQuestion) -> dict[str, Any]:
        return {"items": [{"id": item.id, "text": item.text} for item in question.items]}
