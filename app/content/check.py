"""``python -m app.content.check [ROOT]``: the content check, without a Flask app.

Curriculum writers run it while writing; ``flask content check`` prints the same report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.content.loader import PROJECT_ROOT, load_content
from app.content.report import print_report


def main(argv: Sequence[str] | None = None) -> int:
    """Exit code 0 when every file is fine, 1 when there is a problem, 2 for a wrong ROOT."""
    parser = argparse.ArgumentParser(
        prog="python -m app.content.check",
        description="Check lessons/ and quizzes/; list every problem as file:line: message.",
    )
    parser.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=PROJECT_ROOT,
        help="the folder holding lessons/ and quizzes/ (default: this repository)",
    )
    root: Path = parser.parse_args(argv).root
    if not (root / "lessons").is_dir() and not (root / "quizzes").is_dir():
        print(f"{root}: no lessons/ or quizzes/ folder here", file=sys.stderr)
        return 2
    return print_report(load_content(root))


if __name__ == "__main__":
    sys.exit(main())
