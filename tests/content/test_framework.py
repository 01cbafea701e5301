"""The competence framework (Thông tư 02/2025/TT-BGDĐT) and the essential tasks."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from app.content.framework import DATA_DIR, Framework, default_framework, load_framework


@pytest.fixture(scope="module")
def framework() -> Framework:
    return default_framework()


def test_six_domains_24_competences_8_levels(framework: Framework) -> None:
    assert [d.code for d in framework.domains] == ["1", "2", "3", "4", "5", "6"]
    assert [len(d.competences) for d in framework.domains] == [3, 6, 4, 4, 4, 3]
    codes = [c.code for c in framework.competences]
    assert len(codes) == 24 and codes[0] == "1.1" and codes[-1] == "6.3"
    assert [level.code for level in framework.levels] == [
        "CB1", "CB2", "TC1", "TC2", "NC1", "NC2", "CS1", "CS2",
    ]  # fmt: skip
    assert [level.number for level in framework.levels] == list(range(1, 9))


def test_lookups(framework: Framework) -> None:
    competence = framework.competence("4.2")
    assert competence is not None
    assert competence.name_vi == "Bảo vệ dữ liệu cá nhân và quyền riêng tư"
    assert (competence.domain, competence.name_en) == ("4", "Protecting personal data and privacy")
    assert competence.description_vi
    assert framework.competence("7.1") is None
    domain = framework.domain("6")
    assert domain is not None and domain.name_vi == "Ứng dụng trí tuệ nhân tạo"
    level = framework.level("TC1")
    assert level is not None
    assert (level.label_vi, level.label_en, level.tier_vi, level.tier_en) == (
        "Trung cấp 1",
        "Intermediate 1",
        "Trung cấp",
        "Intermediate",
    )
    assert framework.level("TC3") is None


@pytest.mark.parametrize(
    ("grade", "code"),
    [
        (1, "CB1"),
        (3, "CB1"),
        (4, "CB2"),
        (6, "TC1"),
        (7, "TC1"),
        (8, "TC2"),
        (9, "TC2"),
        (12, "NC1"),
    ],
)
def test_level_for_grade(framework: Framework, grade: int, code: str) -> None:
    level = framework.level_for_grade(grade)
    assert level is not None and level.code == code


def test_no_level_for_grades_outside_school(framework: Framework) -> None:
    assert framework.level_for_grade(0) is None
    assert framework.level_for_grade(13) is None


def test_legal_basis(framework: Framework) -> None:
    basis = framework.legal_basis
    assert basis.document == "Thông tư 02/2025/TT-BGDĐT"
    assert (basis.issued, basis.effective) == (date(2025, 1, 24), date(2025, 3, 11))


def test_essential_tasks(framework: Framework) -> None:
    task = framework.task("vneid-level2")
    assert task is not None
    assert task.title_vi.startswith("Cài đặt và kích hoạt tài khoản định danh điện tử VNeID")
    assert task.competences == ("2.6", "4.2", "4.1", "2.3")
    assert len(framework.tasks) == 13
    assert framework.task("khong-co") is None


def test_matches_the_shared_reference(framework: Framework) -> None:
    reference = Path(__file__).resolve().parents[2].parent / "shared/reference/framework.yaml"
    if not reference.is_file():
        pytest.skip("shared/reference is not beside the project")
    data = yaml.safe_load(reference.read_text(encoding="utf-8"))
    expected = {c["code"]: c["name_vi"] for d in data["domains"] for c in d["competences"]}
    assert {c.code: c.name_vi for c in framework.competences} == expected
    grades = {level["code"]: tuple(level["grades"]) for level in data["levels"]}
    assert {level.code: level.grades for level in framework.levels} == grades


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('  - code: "1.2"\n', '  - code: "1.1"\n', "a competence code is used twice"),
        ('    domain: "2"\n', '    domain: "9"\n', "unknown domains"),
        ("    grades: [6, 7]\n", "    grades: [6, 7, 8]\n", "a school grade is mapped to two"),
        ("  - number: 2\n", "  - number: 5\n", "levels must be numbered"),
    ],
)
def test_broken_framework_data_stops_the_app(
    tmp_path: Path, old: str, new: str, error: str
) -> None:
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_framework(tmp_path)


def test_task_with_unknown_competence_stops_the_app(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "essential_tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"2.6"', '"9.9"', 1), encoding="utf-8")
    with pytest.raises(ValueError, match="names unknown competences"):
        load_framework(tmp_path)
