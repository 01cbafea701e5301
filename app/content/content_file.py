"""Reading one content file: its bytes (for the version hash) and its text.

Text is normalised to Unicode NFC: Vietnamese can be typed as precomposed letters or as
letters plus combining marks, and two spellings of one heading must compare equal.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.content.problems import ProblemLog
from app.content.yaml_source import YamlError, YamlMap, load_yaml


@dataclass(frozen=True)
class ContentFile:
    path: Path  # absolute
    relative_path: str  # from the project root, with forward slashes
    text: str
    sha256: str  # of the bytes on disk: changes whenever the file does


def relative_to_root(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def read_content_file(path: Path, root: Path) -> tuple[ContentFile | None, ProblemLog]:
    """Read ``path``; a file that is not UTF-8 text gives a problem and no ContentFile."""
    relative_path = relative_to_root(path, root)
    log = ProblemLog(relative_path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        log.add(line, "the file is not UTF-8 text: save it as UTF-8")
        return None, log
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return ContentFile(path, relative_path, text, hashlib.sha256(data).hexdigest()), log


def read_yaml_file(
    path: Path, root: Path, shape: str
) -> tuple[ContentFile | None, YamlMap | None, ProblemLog]:
    """Read a YAML file that must be one mapping; ``shape`` tells authors what it holds."""
    file, log = read_content_file(path, root)
    if file is None:
        return None, None, log
    try:
        raw = load_yaml(file.text)
    except YamlError as error:
        log.add(error.line, error.message)
        return file, None, log
    if not isinstance(raw, YamlMap):
        log.add(1, f"this file is a YAML mapping: {shape}")
        return file, None, log
    return file, raw, log
