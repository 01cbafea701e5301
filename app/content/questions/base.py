"""The one interface every question type implements (the CTFd challenge-class pattern).

A type knows how to read its questions from a quiz file, what a learner may see of one,
how to read a submitted form into an answer, and how to grade that answer. Routes and the
quiz loader only talk to this interface, so a new type is one new class and one line in
``QUESTION_TYPES``; nothing else changes.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from app.content.problems import ProblemLog
from app.content.schema import Field, FieldType, check_id, read_fields
from app.content.yaml_source import YamlMap, line_of


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str  # stable within its quiz; attempts store it
    type: str  # the name of its QuestionType
    prompt: str
    explanation: str | None = None  # shown after submission


@dataclass(frozen=True)
class GradeResult:
    correct: bool  # a question scores 1 when fully right, otherwise 0
    feedback: tuple[str, ...]  # the author's feedback on what was chosen
    correct_answer_view: dict[str, Any]  # what to show as the right answer, per type


class InvalidAnswer(ValueError):
    """A submitted answer no honest form could produce: unknown, repeated or missing ids.

    Routes answer it with 400 Bad Request; it never counts as a wrong answer.
    """


Q = TypeVar("Q", bound=Question)

COMMON_FIELDS: dict[str, Field] = {
    "id": Field(FieldType.TEXT),
    "type": Field(FieldType.TEXT),
    "prompt": Field(FieldType.TEXT),
    "explanation": Field(FieldType.TEXT, required=False),
}


class QuestionType(ABC, Generic[Q]):
    name: ClassVar[str]
    question_class: ClassVar[type[Question]]
    fields: ClassVar[Mapping[str, Field]]  # the fields this type adds to COMMON_FIELDS

    def parse(self, raw: YamlMap, log: ProblemLog) -> Question | None:
        """Read one question from a quiz file; None if it has a problem (all are logged)."""
        before = len(log)
        values = read_fields(raw, {**COMMON_FIELDS, **self.fields}, log)
        if "id" in values:
            check_id(raw, "id", log)
        specific = self.parse_fields(raw, values, log)
        if len(log) > before:
            return None
        return self.question_class(
            id=values["id"],
            type=self.name,
            prompt=values["prompt"],
            explanation=values.get("explanation"),
            **specific,
        )

    @abstractmethod
    def parse_fields(self, raw: YamlMap, values: dict[str, Any], log: ProblemLog) -> dict[str, Any]:
        """Check this type's own fields; return them as constructor arguments."""

    @abstractmethod
    def public_view(self, question: Q, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        """What a learner may see before answering: never the answer, nor a hint of it.

        ``shuffle`` is the quiz's ``shuffle_options``; seed ``rng`` per attempt so the page
        shows the same order when reloaded.
        """

    @abstractmethod
    def parse_answer(self, question: Q, values: list[str]) -> Any:
        """Turn the submitted form values for this question into an answer.

        Raises ``InvalidAnswer`` for anything a real form could not have sent.
        """

    @abstractmethod
    def grade(self, question: Q, answer: Any) -> GradeResult:
        """Grade an answer returned by ``parse_answer``."""

    @abstractmethod
    def correct_answer_view(self, question: Q) -> dict[str, Any]:
        """The right answer, shown after submission (also for an unanswered question)."""

    def base_view(self, question: Q) -> dict[str, Any]:
        return {"id": question.id, "type": question.type, "prompt": question.prompt}


ENTRY_FIELDS: dict[str, Field] = {"id": Field(FieldType.TEXT), "text": Field(FieldType.TEXT)}


def read_entries(
    raw: YamlMap,
    key: str,
    fields: Mapping[str, Field],
    log: ProblemLog,
    *,
    noun: str,
    count: range,
    type_name: str,
) -> list[dict[str, Any]]:
    """Read a question's options or items: mappings with a unique ``id`` and ``text``.

    Returns the valid entries' values; every problem (count, shape, duplicates) is logged.
    """
    entries = raw.get(key)
    if not isinstance(entries, list):
        return []  # read_fields has reported it
    if len(entries) not in count:
        log.at(
            raw,
            key,
            f"{type_name} questions need {count.start}–{count.stop - 1} {noun}s, "
            f"not {len(entries)}",
        )
    result: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, YamlMap):
            log.add(line_of(entries, index), f"each {noun} must be a mapping with id and text")
            continue
        values = read_fields(entry, fields, log)
        entry_id, text = values.get("id"), values.get("text")
        if entry_id is not None:
            check_id(entry, "id", log)
            if entry_id in seen_ids:
                log.at(entry, "id", f"duplicate {noun} id '{entry_id}'")
            seen_ids.add(entry_id)
        if text is not None:
            if text in seen_texts:
                log.at(entry, "text", f"two {noun}s have the same text '{text}'")
            seen_texts.add(text)
        result.append(values)
    return result
