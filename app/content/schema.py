"""Reading the fields of a YAML mapping against a declared shape.

Every file format here is a mapping with known keys. Declaring those keys once (name,
type, required) gives authors the same messages everywhere: missing field, wrong type,
and unknown field with a "did you mean" for typos, each on the line where it happens.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.content.problems import ProblemLog
from app.content.yaml_source import YamlMap, line_of

SCHEMA_VERSION = 1

# Content ids are stored in progress rows (String(100)) and appear in URLs.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_MAX_LENGTH = 100
ID_RULE = "use lowercase ASCII letters, digits and single dashes, like 'hs-1-1-tim-kiem'"


class FieldType(Enum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    TEXT_LIST = "text list"
    INT_LIST = "int list"
    LIST = "list"  # of mappings, read by the caller


@dataclass(frozen=True)
class Field:
    type: FieldType
    required: bool = True
    one_or_many: bool = False  # accept a single text as a one-item list (`level: TC1`)
    allow_empty: bool = False  # a list may be []


def read_fields(raw: YamlMap, fields: Mapping[str, Field], log: ProblemLog) -> dict[str, Any]:
    """Return the valid values of ``raw`` by field name, reporting every problem.

    Text is stripped and lists become tuples. A field that is missing or wrong is left out
    of the result, so callers use ``.get()`` and rely on the log for the verdict.
    """
    for key in raw:
        if key not in fields:
            log.at(raw, key, _unknown_field_message(key, fields))
    values: dict[str, Any] = {}
    for name, field in fields.items():
        value = raw.get(name)
        if value is None:
            if field.required:
                if name in raw:
                    log.at(raw, name, f"'{name}' has no value")
                else:
                    log.add(raw.line, f"missing required field '{name}'")
            continue
        checked = _check_value(raw, name, field, value, log)
        if checked is not None:
            values[name] = checked
    return values


def check_schema_version(raw: YamlMap, log: ProblemLog) -> bool:
    """Report a missing or unsupported ``schema_version``; False means stop reading."""
    version = raw.get("schema_version")
    if "schema_version" not in raw:
        log.add(raw.line, "missing required field 'schema_version' (write schema_version: 1)")
        return False
    if version != SCHEMA_VERSION or isinstance(version, bool):
        log.at(
            raw,
            "schema_version",
            f"unsupported schema_version {version!r}; this site reads schema_version: "
            f"{SCHEMA_VERSION}",
        )
        return False
    return True


def is_valid_id(value: str) -> bool:
    return len(value) <= ID_MAX_LENGTH and ID_PATTERN.fullmatch(value) is not None


def check_id(raw: YamlMap, key: str, log: ProblemLog) -> None:
    """Report a badly formed id in ``raw[key]`` (already known to be text)."""
    value = raw[key]
    if len(value) > ID_MAX_LENGTH:
        log.at(raw, key, f"id '{value}' is longer than {ID_MAX_LENGTH} characters")
    elif ID_PATTERN.fullmatch(value) is None:
        log.at(raw, key, f"bad id '{value}': {ID_RULE}")


def _unknown_field_message(key: object, fields: Mapping[str, Field]) -> str:
    close = difflib.get_close_matches(str(key), list(fields), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{key}'{hint}"


def _check_value(raw: YamlMap, name: str, field: Field, value: Any, log: ProblemLog) -> Any:
    kind = field.type
    if kind is FieldType.TEXT:
        return _check_text(raw, name, value, log)
    if kind is FieldType.INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        log.at(raw, name, f"'{name}' must be a whole number")
        return None
    if kind is FieldType.BOOL:
        if isinstance(value, bool):
            return value
        log.at(raw, name, f"'{name}' must be true or false")
        return None
    if field.one_or_many and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        log.at(raw, name, f"'{name}' must be a list, like [a, b]")
        return None
    if not value and not field.allow_empty:
        log.at(raw, name, f"'{name}' is empty")
        return None
    if kind is FieldType.LIST:
        return value
    return _check_list_items(raw, name, kind, value, log)


def _check_text(raw: YamlMap, name: str, value: Any, log: ProblemLog) -> str | None:
    if not isinstance(value, str):
        log.at(raw, name, f"'{name}' must be text; put it in quotes")
        return None
    if not value.strip():
        log.at(raw, name, f"'{name}' is empty")
        return None
    return value.strip()


def _check_list_items(
    raw: YamlMap, name: str, kind: FieldType, items: list, log: ProblemLog
) -> tuple | None:
    before = len(log)
    seen: set = set()
    for index, item in enumerate(items):
        line = line_of(items, index)
        if kind is FieldType.TEXT_LIST and not isinstance(item, str):
            log.add(line, f"'{name}' item {item!r} must be text; put it in quotes")
        elif kind is FieldType.INT_LIST and (not isinstance(item, int) or isinstance(item, bool)):
            log.add(line, f"'{name}' item {item!r} must be a whole number")
        elif isinstance(item, str) and not item.strip():
            log.add(line, f"'{name}' has an empty item")
        elif item in seen:
            log.add(line, f"{item!r} is listed twice in '{name}'")
        else:
            seen.add(item)
    if len(log) > before:
        return None
    return tuple(item.strip() if isinstance(item, str) else item for item in items)
