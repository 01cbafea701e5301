"""Reading ``lessons/paths.yaml``: the ordered learning paths a school can require."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.content.content_file import read_yaml_file
from app.content.framework import Framework
from app.content.models import AUDIENCES, LearningPath
from app.content.problems import ProblemLog
from app.content.schema import (
    Field,
    FieldType,
    check_id,
    check_schema_version,
    is_valid_id,
    read_fields,
)
from app.content.yaml_source import YamlList, YamlMap, line_of

FILE_FIELDS: dict[str, Field] = {
    "schema_version": Field(FieldType.INT),
    "paths": Field(FieldType.LIST),
}
PATH_FIELDS: dict[str, Field] = {
    "id": Field(FieldType.TEXT),
    "title": Field(FieldType.TEXT),
    "level": Field(FieldType.TEXT),
    "audience": Field(FieldType.TEXT),
    "lessons": Field(FieldType.TEXT_LIST),
}


@dataclass
class ParsedPaths:
    relative_path: str
    log: ProblemLog
    # (path, its YAML mapping) pairs, for the lines of cross-file problems; empty when
    # the file has any problem, since a file with a problem is left out whole.
    paths: list[tuple[LearningPath, YamlMap]] = field(default_factory=list)


def parse_paths(path: Path, root: Path, framework: Framework) -> ParsedPaths:
    _, raw, log = read_yaml_file(path, root, "schema_version and paths")
    parsed = ParsedPaths(log.path, log)
    if raw is None or not check_schema_version(raw, log):
        return parsed
    read_fields(raw, FILE_FIELDS, log)
    entries = raw.get("paths")
    found: list[tuple[LearningPath, YamlMap]] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries if isinstance(entries, YamlList) else []):
        if not isinstance(entry, YamlMap):
            log.add(line_of(entries, index), "each path must be a mapping (id, title, …)")
            continue
        learning_path = _read_path(entry, framework, log)
        if learning_path is None:
            continue
        if learning_path.id in seen:
            log.at(entry, "id", f"duplicate path id '{learning_path.id}'")
        seen.add(learning_path.id)
        found.append((learning_path, entry))
    if not log.problems:
        parsed.paths = found
    return parsed


def _read_path(raw: YamlMap, framework: Framework, log: ProblemLog) -> LearningPath | None:
    before = len(log)
    values = read_fields(raw, PATH_FIELDS, log)
    if "id" in values:
        check_id(raw, "id", log)
    level = values.get("level")
    if level is not None and framework.level(level) is None:
        log.at(raw, "level", f"unknown level '{level}'")
    audience = values.get("audience")
    if audience is not None and audience not in AUDIENCES:
        log.at(raw, "audience", f"unknown audience '{audience}'; use {', '.join(AUDIENCES)}")
    for index, lesson_id in enumerate(values.get("lessons", ())):
        if not is_valid_id(lesson_id):
            log.add(line_of(raw["lessons"], index), f"'{lesson_id}' is not a valid id")
    if len(log) > before:
        return None
    return LearningPath(
        id=values["id"],
        title=values["title"],
        level=values["level"],
        audience=values["audience"],
        lesson_ids=values["lessons"],
    )
