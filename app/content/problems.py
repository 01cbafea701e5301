"""Problems found in content files, reported as ``file:line: message``.

Loading never raises on bad content: every problem is collected so an author sees all of
them at once, and the file that has one is left out while the rest of the site works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.content.yaml_source import line_of


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file; ``path`` is relative to the project root."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ProblemLog:
    """Collects the problems of one file.

    Parsers compare ``len(log)`` before and after a step to know whether that step went
    wrong, so they can keep checking (and report everything) but build nothing broken.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def at(self, container: Mapping | Sequence, key: object, message: str) -> None:
        """Report a problem on the line of a mapping key or a sequence item."""
        self.add(line_of(container, key), message)
