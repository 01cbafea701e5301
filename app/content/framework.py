"""The national digital competence framework and the essential tasks, as typed data.

Thông tư 02/2025/TT-BGDĐT defines 6 domains, 24 competences and 8 levels; Công văn
3456/BGDĐT-GDPT maps school grades onto levels. Lessons, quizzes and reports all speak in
these codes, so they are loaded once from ``data/`` and checked strictly: a mistake here
is a bug in the app, not in a content file, and it stops the app instead of being reported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.content.yaml_source import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
COMPETENCE_CODE = re.compile(r"[1-9]\.[1-9]")


@dataclass(frozen=True)
class Competence:
    code: str  # "1.1" … "6.3"
    domain: str  # "1" … "6"
    name_vi: str
    name_en: str
    description_vi: str

    @property
    def sort_key(self) -> tuple[int, int]:
        major, minor = self.code.split(".")
        return int(major), int(minor)


@dataclass(frozen=True)
class Domain:
    code: str
    name_vi: str
    name_en: str
    description_vi: str
    competences: tuple[Competence, ...]


@dataclass(frozen=True)
class Level:
    number: int  # 1 … 8
    code: str  # CB1 CB2 TC1 TC2 NC1 NC2 CS1 CS2
    label_vi: str
    label_en: str
    tier_vi: str
    tier_en: str
    grades: tuple[int, ...]  # school grades expected to reach this level; () above grade 12


@dataclass(frozen=True)
class EssentialTask:
    """An everyday task ("Bình dân học vụ số") that a walkthrough teaches a relative."""

    id: str
    title_vi: str
    title_en: str
    competences: tuple[str, ...]


@dataclass(frozen=True)
class LegalBasis:
    document: str  # "Thông tư 02/2025/TT-BGDĐT"
    issuer_vi: str
    issued: date
    effective: date
    grade_mapping: str  # the document that maps grades onto levels


@dataclass(frozen=True)
class Framework:
    name_vi: str
    name_en: str
    legal_basis: LegalBasis
    domains: tuple[Domain, ...]  # in framework order
    levels: tuple[Level, ...]  # from CB1 up to CS2
    tasks: tuple[EssentialTask, ...]
    _competences: dict[str, Competence] = field(init=False, repr=False, compare=False)
    _levels: dict[str, Level] = field(init=False, repr=False, compare=False)
    _grades: dict[int, Level] = field(init=False, repr=False, compare=False)
    _tasks: dict[str, EssentialTask] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        competences = {c.code: c for d in self.domains for c in d.competences}
        grades = {grade: level for level in self.levels for grade in level.grades}
        object.__setattr__(self, "_competences", competences)
        object.__setattr__(self, "_levels", {level.code: level for level in self.levels})
        object.__setattr__(self, "_grades", grades)
        object.__setattr__(self, "_tasks", {task.id: task for task in self.tasks})

    @property
    def competences(self) -> tuple[Competence, ...]:
        """All 24 competences, in framework order (1.1, 1.2, … 6.3)."""
        return tuple(self._competences.values())

    def domain(self, code: str) -> Domain | None:
        return next((d for d in self.domains if d.code == code), None)

    def competence(self, code: str) -> Competence | None:
        return self._competences.get(code)

    def level(self, code: str) -> Level | None:
        return self._levels.get(code)

    def level_for_grade(self, grade: int) -> Level | None:
        """The level a learner in this school grade (1–12) is expected to reach."""
        return self._grades.get(grade)

    def task(self, task_id: str) -> EssentialTask | None:
        return self._tasks.get(task_id)


@functools.cache
def default_framework() -> Framework:
    """The framework shipped in ``data/``, loaded once per process."""
    return load_framework(DATA_DIR)


def load_framework(data_dir: Path) -> Framework:
    """Read ``framework.yaml`` and ``essential_tasks.yaml``; raise ValueError if wrong."""
    data = _read(data_dir / "framework.yaml")
    tasks_data = _read(data_dir / "essential_tasks.yaml")
    try:
        competences: dict[str, list[Competence]] = {}
        for raw in data["competences"]:
            competence = Competence(**raw)
            competences.setdefault(competence.domain, []).append(competence)
        domains = tuple(
            Domain(**raw, competences=tuple(competences.pop(raw["code"], [])))
            for raw in data["domains"]
        )
        framework = Framework(
            name_vi=data["name_vi"],
            name_en=data["name_en"],
            legal_basis=LegalBasis(**data["legal_basis"]),
            domains=domains,
            levels=tuple(
                Level(**{**raw, "grades": tuple(raw["grades"])}) for raw in data["levels"]
            ),
            tasks=tuple(
                EssentialTask(**{**raw, "competences": tuple(raw["competences"])})
                for raw in tasks_data["tasks"]
            ),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"{data_dir}: malformed framework data ({error})") from error
    if competences:
        raise ValueError(f"competences name unknown domains: {sorted(competences)}")
    _validate(framework)
    return framework


def _read(path: Path) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise ValueError(f"{path}: expected a mapping with schema_version: 1")
    return data


def _validate(framework: Framework) -> None:
    problems: list[str] = []
    codes = [c.code for d in framework.domains for c in d.competences]
    if len(set(codes)) != len(codes):
        problems.append("a competence code is used twice")
    for domain in framework.domains:
        for competence in domain.competences:
            if not COMPETENCE_CODE.fullmatch(competence.code):
                problems.append(f"bad competence code {competence.code!r}")
            elif not competence.code.startswith(f"{domain.code}."):
                problems.append(f"competence {competence.code} is not in domain {domain.code}")
    numbers = [level.number for level in framework.levels]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"levels must be numbered 1, 2, 3 … in order, not {numbers}")
    if len({level.code for level in framework.levels}) != len(numbers):
        problems.append("a level code is used twice")
    grades = [grade for level in framework.levels for grade in level.grades]
    if len(set(grades)) != len(grades):
        problems.append("a school grade is mapped to two levels")
    for task in framework.tasks:
        unknown = [code for code in task.competences if framework.competence(code) is None]
        if unknown:
            problems.append(f"task {task.id} names unknown competences {unknown}")
    if len({task.id for task in framework.tasks}) != len(framework.tasks):
        problems.append("a task id is used twice")
    if problems:
        raise ValueError("framework data: " + "; ".join(problems))
