"""YAML that remembers where each key and list item is, so problems can name a line.

PyYAML's plain loaders throw the node marks away. This loader builds ordinary dicts and
lists (subclasses that also carry line numbers) and refuses duplicate keys, which plain
YAML silently resolves by keeping the last one: a classic way to lose an author's edit.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlMap(dict):
    """A YAML mapping; ``line`` is where it starts, ``key_lines`` where each key is."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class YamlList(list):
    """A YAML sequence; ``line`` is where it starts, ``item_lines`` where each item is."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlError(Exception):
    """The text is not valid YAML (or repeats a key); ``line`` is a line of the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _DuplicateKey(yaml.constructor.ConstructorError):
    pass


class _LineLoader(_BaseLoader):
    first_line = 1

    def file_line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap(loader.file_line(node))
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        if key in result:
            raise _DuplicateKey(None, None, f"duplicate key '{key}'", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = loader.file_line(key_node)
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.file_line(node))
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.item_lines.append(loader.file_line(item_node))
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document; ``first_line`` is the file line the text starts on.

    Raises ``YamlError`` with the file line of the first syntax error.
    """
    loader = _LineLoader(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except _DuplicateKey as error:
        raise YamlError(first_line + error.problem_mark.line, error.problem) from error
    except yaml.MarkedYAMLError as error:
        raise YamlError(first_line + _error_line(error), _error_message(error)) from error
    except yaml.YAMLError as error:
        raise YamlError(first_line, f"YAML syntax error: {error}") from error
    finally:
        loader.dispose()


def _error_line(error: yaml.MarkedYAMLError) -> int:
    """Where the author should look: an unclosed quote or bracket is reported by PyYAML
    where it gave up (often the end of the file); its opening is more useful."""
    context = error.context or ""
    opened = "quoted scalar" in context or "flow" in context
    mark = error.context_mark if opened and error.context_mark else error.problem_mark
    return mark.line if mark else 0


def _error_message(error: yaml.MarkedYAMLError) -> str:
    detail = error.problem or "invalid YAML"
    if error.context:
        detail += f" ({error.context})"
    return f"YAML syntax error: {detail}"


def line_of(container: Mapping | Sequence, key: object) -> int:
    """The line of a key of a ``YamlMap`` or an item of a ``YamlList``.

    Falls back to where the container starts (for a missing key), or to line 1 for data
    that did not come from ``load_yaml``.
    """
    if isinstance(container, YamlMap):
        return container.key_lines.get(key, container.line)
    if isinstance(container, YamlList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return 1
