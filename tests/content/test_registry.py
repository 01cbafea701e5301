"""What routes ask of the loaded content."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content
from app.content.registry import ContentRegistry, Neighbours


def ids(lessons) -> list[str]:
    return [lesson.id for lesson in lessons]


def test_lessons_are_in_curriculum_order(good: ContentRegistry) -> None:
    # lowest level first (CB2 < TC1 < NC1), then framework order of the first competence
    assert list(good.lessons) == ["nt-vneid", "hs-tim-kiem", "hs-danh-gia", "cb-khung-nang-luc"]


def test_registry_is_read_only(good: ContentRegistry) -> None:
    with pytest.raises(TypeError):
        good.lessons["x"] = good.lessons["hs-tim-kiem"]  # type: ignore[index]


def test_lookups_return_none_for_unknown_ids(good: ContentRegistry) -> None:
    assert good.lesson("hs-tim-kiem") is good.lessons["hs-tim-kiem"]
    assert good.lesson("khong-co") is None
    assert good.quiz("khong-co") is None
    assert good.path("khong-co") is None


def test_walkthroughs(good: ContentRegistry) -> None:
    assert ids(good.walkthroughs()) == ["nt-vneid"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["nt-vneid", "hs-tim-kiem", "hs-danh-gia", "cb-khung-nang-luc"]),
        ({"audience": "student"}, ["hs-tim-kiem", "hs-danh-gia"]),
        ({"audience": "parent"}, ["nt-vneid"]),
        ({"domain": "1"}, ["hs-tim-kiem", "hs-danh-gia"]),
        ({"competence": "1.2"}, ["hs-danh-gia"]),
        ({"level": "TC2"}, ["hs-tim-kiem"]),
        (
            {"audience": "student", "competence": "1.1", "level": "TC1"},
            ["hs-tim-kiem", "hs-danh-gia"],
        ),
        ({"audience": "staff", "domain": "1"}, []),
    ],
)
def test_lessons_for(good: ContentRegistry, filters: dict, expected: list[str]) -> None:
    assert ids(good.lessons_for(**filters)) == expected


def test_lessons_covering(good: ContentRegistry) -> None:
    assert ids(good.lessons_covering("1.1", "TC2")) == ["hs-tim-kiem"]
    assert ids(good.lessons_covering("4.2", "CB2")) == ["nt-vneid"]
    assert good.lessons_covering("3.4", "TC1") == []


def test_coverage_lists_every_competence(good: ContentRegistry) -> None:
    coverage = good.coverage("student")
    assert list(coverage)[:3] == ["1.1", "1.2", "1.3"] and len(coverage) == 24
    assert ids(coverage["1.1"]) == ["hs-tim-kiem", "hs-danh-gia"]
    assert coverage["6.3"] == []
    assert ids(good.coverage()["4.2"]) == ["nt-vneid"]


def test_next_and_previous(good: ContentRegistry) -> None:
    first, second = good.lesson("hs-tim-kiem"), good.lesson("hs-danh-gia")
    assert good.next_and_previous("hs-tim-kiem", "student") == Neighbours(None, second)
    assert good.next_and_previous("hs-danh-gia", "student") == Neighbours(first, None)
    # only lessons of the same kind for that audience
    assert good.next_and_previous("nt-vneid", "parent") == Neighbours(None, None)
    assert good.next_and_previous("hs-tim-kiem", "parent") == Neighbours(None, None)
    assert good.next_and_previous("khong-co", "student") == Neighbours(None, None)


def test_paths_for(good: ContentRegistry) -> None:
    assert [p.id for p in good.paths_for("student", "TC1")] == ["core-tc1"]
    assert [p.id for p in good.paths_for("parent")] == ["nguoi-than-co-ban"]
    assert good.paths_for("student", "TC2") == []


def test_path_lessons_skip_lessons_left_out(content_root: Path) -> None:
    lesson_file = content_root / "lessons/hoc-sinh/hs-danh-gia.md"
    lesson_file.write_text(lesson_file.read_text().replace("minutes: 20", "minutes: hai mươi"))
    registry = load_content(content_root)
    assert [p.path for p in registry.problems] == ["lessons/hoc-sinh/hs-danh-gia.md"]
    assert ids(registry.path_lessons("core-tc1")) == ["hs-tim-kiem"]
    assert registry.path_lessons("khong-co") == []


def test_lesson_for_quiz(good: ContentRegistry) -> None:
    assert good.lesson_for_quiz("nt-vneid-quiz") is good.lesson("nt-vneid")
    assert good.lesson_for_quiz("khong-co") is None


def test_images_are_those_lessons_show(good: ContentRegistry) -> None:
    assert good.images == {"hoc-sinh/hinh/o-tim-kiem.svg"}
    assert (good.lessons_root / "hoc-sinh/hinh/o-tim-kiem.svg").is_file()
