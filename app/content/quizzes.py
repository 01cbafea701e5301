"""Reading one quiz file: its fields, then each question through its question type."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.content.content_file import read_yaml_file
from app.content.framework import Framework
from app.content.models import Quiz
from app.content.problems import ProblemLog
from app.content.questions import QUESTION_TYPES, Question, question_type
from app.content.schema import Field, FieldType, check_id, check_schema_version, read_fields
from app.content.yaml_source import YamlList, YamlMap, line_of

FIELDS: dict[str, Field] = {
    "schema_version": Field(FieldType.INT),
    "id": Field(FieldType.TEXT),
    "title": Field(FieldType.TEXT),
    "competences": Field(FieldType.TEXT_LIST),
    "pass_mark": Field(FieldType.INT),
    "shuffle_options": Field(FieldType.BOOL, required=False),
    "draw": Field(FieldType.INT, required=False),
    "questions": Field(FieldType.LIST),
}
PASS_MARK = range(1, 101)


@dataclass
class ParsedQuiz:
    """What the loader needs of one quiz file, even a broken one."""

    relative_path: str
    log: ProblemLog
    declared_id: str | None = None
    raw: YamlMap | None = None  # for the lines of cross-file problems
    quiz: Quiz | None = None  # only when the file has no problem


def parse_quiz(path: Path, root: Path, framework: Framework) -> ParsedQuiz:
    file, raw, log = read_yaml_file(path, root, "schema_version, id, title, … questions")
    parsed = ParsedQuiz(log.path, log)
    if file is None or raw is None:
        return parsed
    parsed.raw = raw
    if isinstance(raw.get("id"), str):
        parsed.declared_id = raw["id"].strip()
    if not check_schema_version(raw, log):
        return parsed
    values = read_fields(raw, FIELDS, log)
    if "id" in values:
        check_id(raw, "id", log)
    for index, code in enumerate(values.get("competences", ())):
        if framework.competence(code) is None:
            log.add(line_of(raw["competences"], index), f"unknown competence '{code}'")
    _check_numbers(raw, values, log)
    questions = _read_questions(raw, log)
    if log.problems:
        return parsed
    parsed.quiz = Quiz(
        id=values["id"],
        title=values["title"],
        competences=values["competences"],
        pass_mark=values["pass_mark"],
        shuffle_options=values.get("shuffle_options", True),
        draw_count=values.get("draw"),
        questions=questions,
        version=file.sha256,
        relative_path=file.relative_path,
    )
    return parsed


def _check_numbers(raw: YamlMap, values: dict[str, Any], log: ProblemLog) -> None:
    pass_mark = values.get("pass_mark")
    if pass_mark is not None and pass_mark not in PASS_MARK:
        log.at(raw, "pass_mark", f"'pass_mark' is a percent from 1 to 100, not {pass_mark}")
    draw = values.get("draw")
    pool = raw.get("questions")
    if draw is None or not isinstance(pool, list):
        return
    if draw < 1:
        log.at(raw, "draw", f"'draw' must be at least 1, not {draw}")
    elif draw > len(pool):
        log.at(raw, "draw", f"'draw' ({draw}) is more than the number of questions ({len(pool)})")


def _read_questions(raw: YamlMap, log: ProblemLog) -> tuple[Question, ...]:
    entries = raw.get("questions")
    if not isinstance(entries, YamlList):
        return ()
    questions: list[Question] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, YamlMap):
            log.add(line_of(entries, index), "each question must be a mapping (id, type, prompt …)")
            continue
        type_name = entry.get("type")
        kind = question_type(type_name) if isinstance(type_name, str) else None
        if kind is None:
            names = ", ".join(QUESTION_TYPES)
            if "type" in entry:
                log.at(entry, "type", f"unknown question type '{type_name}'; use {names}")
            else:
                log.add(entry.line, f"missing required field 'type' (one of: {names})")
            continue
        question_id = entry.get("id")
        if isinstance(question_id, str):
            if question_id in seen:
                log.at(entry, "id", f"duplicate question id '{question_id}'")
            seen.add(question_id)
        question = kind.parse(entry, log)
        if question is not None:
            questions.append(question)
    return tuple(questions)
