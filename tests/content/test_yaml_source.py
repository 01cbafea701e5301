"""YAML with line numbers, refusing duplicate keys."""

from __future__ import annotations

import pytest

from app.content.yaml_source import YamlError, YamlList, YamlMap, line_of, load_yaml


def test_keys_and_items_know_their_file_lines() -> None:
    data = load_yaml("id: x\nitems:\n  - a\n  - {id: b, text: c}\n", first_line=2)
    assert isinstance(data, YamlMap) and data == {
        "id": "x",
        "items": ["a", {"id": "b", "text": "c"}],
    }
    assert (data.line, line_of(data, "id"), line_of(data, "items")) == (2, 2, 3)
    items = data["items"]
    assert isinstance(items, YamlList)
    assert (line_of(items, 0), line_of(items, 1), line_of(items[1], "text")) == (4, 5, 5)


def test_missing_keys_fall_back_to_the_container() -> None:
    data = load_yaml("\n\na: [1]\n")
    assert line_of(data, "nope") == 3
    assert line_of(data["a"], 5) == 3
    assert line_of({"plain": "dict"}, "plain") == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 4, "duplicate key 'a'"),
        ("a: 1\nb: [1, 2\n", 3, "YAML syntax error: did not find expected ',' or ']'"),
        ('a: 1\nb: "open\n', 3, "YAML syntax error: found unexpected end of stream"),
        ("a: 1\n  b: 2\n", 3, "YAML syntax error: mapping values are not allowed"),
        ("a: 1\n---\nb: 2\n", 3, "YAML syntax error: but found another document"),
        ("? [a]\n: 1\n", 2, "YAML syntax error: a key must be plain text"),
    ],
)
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as error:
        load_yaml(text, first_line=2)
    assert error.value.line == line
    assert error.value.message.startswith(message)


def test_empty_text_is_none() -> None:
    assert load_yaml("") is None
