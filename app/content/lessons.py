"""Reading one lesson or walkthrough file: front matter, then body checks.

Only checks that need nothing but the file itself live here; the ones that need other
files (duplicate ids, quizzes and prerequisites that exist) are the loader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.content.content_file import ContentFile, read_content_file
from app.content.framework import Framework
from app.content.lesson_body import check_body, check_callouts
from app.content.markdown_source import MarkdownSource
from app.content.models import (
    AUDIENCES,
    KINDS,
    LESSON,
    PARENT,
    STAFF,
    STUDENT,
    WALKTHROUGH,
    Lesson,
    MarkdownText,
)
from app.content.problems import ProblemLog
from app.content.schema import (
    Field,
    FieldType,
    check_id,
    check_schema_version,
    is_valid_id,
    read_fields,
)
from app.content.walkthroughs import StepSource, build_steps, read_steps
from app.content.yaml_source import YamlError, YamlList, YamlMap, line_of, load_yaml

FIELDS: dict[str, Field] = {
    "schema_version": Field(FieldType.INT),
    "id": Field(FieldType.TEXT),
    "kind": Field(FieldType.TEXT, required=False),
    "title": Field(FieldType.TEXT),
    "summary": Field(FieldType.TEXT),
    "competences": Field(FieldType.TEXT_LIST),
    "level": Field(FieldType.TEXT_LIST, one_or_many=True),
    "audiences": Field(FieldType.TEXT_LIST, one_or_many=True),
    "minutes": Field(FieldType.INT),
    "prerequisites": Field(FieldType.TEXT_LIST, required=False, allow_empty=True),
    "quiz": Field(FieldType.TEXT, required=False),
    "task": Field(FieldType.TEXT, required=False),
    "key_steps": Field(FieldType.INT_LIST, required=False),
}
WALKTHROUGH_ONLY = ("task", "key_steps")
FOLDER_AUDIENCES = {"hoc-sinh": STUDENT, "can-bo": STAFF, "nguoi-than": PARENT}
LESSON_CALLOUTS = ("tip", "warning", "scam")
RELATIVE_SECTION = "Hướng dẫn người thân"
MINUTES = range(1, 241)


@dataclass
class ParsedLesson:
    """What the loader needs of one lesson file, even a broken one."""

    relative_path: str
    log: ProblemLog
    declared_id: str | None = None  # the id the file claims, for cross-file checks
    raw: YamlMap | None = None  # the front matter, for the lines of cross-file problems
    lesson: Lesson | None = None  # only when the file has no problem


def parse_lesson(path: Path, root: Path, framework: Framework, image_base_url: str) -> ParsedLesson:
    """Read, check and render one file under ``root/lessons``."""
    file, log = read_content_file(path, root)
    parsed = ParsedLesson(log.path, log)
    if file is None:
        return parsed
    split = _split_front_matter(file.text, log)
    if split is None:
        return parsed
    front_matter, body = split
    try:
        raw = load_yaml(front_matter, first_line=2)
    except YamlError as error:
        log.add(error.line, error.message)
        return parsed
    if not isinstance(raw, YamlMap):
        log.add(2, "the front matter must be 'field: value' lines")
        return parsed
    parsed.raw = raw
    if isinstance(raw.get("id"), str):
        parsed.declared_id = raw["id"].strip()
    if check_schema_version(raw, log):
        reader = _LessonReader(file, raw, body, root / "lessons", framework, log)
        parsed.lesson = reader.read(image_base_url)
    return parsed


def _split_front_matter(text: str, log: ProblemLog) -> tuple[str, MarkdownSource] | None:
    lines = text.split("\n")
    if lines[0].strip() != "---":
        log.add(1, "missing front matter: start the file with a line '---', the fields, '---'")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), MarkdownSource(lines[index + 1 :], index + 2)
    log.add(1, "the front matter is not closed: add a line '---' after the fields")
    return None


class _LessonReader:
    """The checks of one lesson whose front matter is valid YAML, in reading order."""

    def __init__(
        self,
        file: ContentFile,
        raw: YamlMap,
        body: MarkdownSource,
        lessons_root: Path,
        framework: Framework,
        log: ProblemLog,
    ) -> None:
        self.file = file
        self.raw = raw
        self.body = body
        self.lessons_root = lessons_root
        self.framework = framework
        self.log = log

    def read(self, image_base_url: str) -> Lesson | None:
        values = read_fields(self.raw, FIELDS, self.log)
        if "id" in values:
            check_id(self.raw, "id", self.log)
        kind = values.get("kind", LESSON)
        if kind not in KINDS:
            self.log.at(self.raw, "kind", f"unknown kind '{kind}'; use lesson or walkthrough")
        self._check_codes(values)
        self._check_references(values)
        images = check_body(self.body, self.file.path, self.lessons_root, self.log)
        intro: MarkdownSource | None = None
        steps: list[StepSource] = []
        if kind == LESSON:
            self._check_lesson(values)
        elif kind == WALKTHROUGH:
            intro, steps = read_steps(self.body, self.log)
            self._check_walkthrough(values, step_count=len(self.body.headings(level=2)))
        if self.log.problems:
            return None

        def markdown(text: str) -> MarkdownText:
            return MarkdownText(text, image_base_url, self._source_dir)

        key_steps = values.get("key_steps", ())
        return Lesson(
            id=values["id"],
            kind=kind,
            title=values["title"],
            summary=values["summary"],
            competences=values["competences"],
            levels=values["level"],
            audiences=values["audiences"],
            minutes=values["minutes"],
            prerequisites=values.get("prerequisites", ()),
            quiz_id=values.get("quiz"),
            task_id=values.get("task"),
            key_steps=key_steps,
            source_path=self.file.path,
            relative_path=self.file.relative_path,
            content_hash=self.file.sha256,
            body=markdown(self.body.text),
            intro=markdown(intro.text) if intro else None,
            steps=build_steps(steps, key_steps, markdown),
            images=images,
        )

    @property
    def _source_dir(self) -> str:
        return PurePosixPath(self.file.path.parent.relative_to(self.lessons_root)).as_posix()

    def _check_codes(self, values: dict[str, Any]) -> None:
        fw = self.framework
        level_codes = ", ".join(level.code for level in fw.levels)
        for index, code in enumerate(values.get("competences", ())):
            if fw.competence(code) is None:
                self._at_item(
                    "competences",
                    index,
                    f"unknown competence '{code}'; use codes "
                    "1.1 … 6.3 from app/content/data/framework.yaml",
                )
        for index, code in enumerate(values.get("level", ())):
            if fw.level(code) is None:
                self._at_item("level", index, f"unknown level '{code}'; use {level_codes}")
        for index, audience in enumerate(values.get("audiences", ())):
            if audience not in AUDIENCES:
                self._at_item(
                    "audiences", index, f"unknown audience '{audience}'; use {', '.join(AUDIENCES)}"
                )
        folder_audience = FOLDER_AUDIENCES.get(self._source_dir.split("/")[0])
        audiences = values.get("audiences")
        if folder_audience and audiences is not None and folder_audience not in audiences:
            self.log.at(
                self.raw,
                "audiences",
                f"a lesson in lessons/{self._source_dir}/ must "
                f"list the audience '{folder_audience}'",
            )
        minutes = values.get("minutes")
        if minutes is not None and minutes not in MINUTES:
            self.log.at(
                self.raw,
                "minutes",
                f"'minutes' must be between {MINUTES.start} and {MINUTES.stop - 1}, not {minutes}",
            )

    def _check_references(self, values: dict[str, Any]) -> None:
        """The shape of ids this lesson points to; whether they exist is the loader's job."""
        for index, lesson_id in enumerate(values.get("prerequisites", ())):
            if lesson_id == values.get("id"):
                self._at_item("prerequisites", index, "a lesson cannot be its own prerequisite")
        for key in ("prerequisites", "quiz"):
            ids = values.get(key, ())
            for index, item in enumerate((ids,) if isinstance(ids, str) else ids):
                if not is_valid_id(item):
                    self._at_item(key, index, f"'{item}' is not a valid id")

    def _check_lesson(self, values: dict[str, Any]) -> None:
        for key in WALKTHROUGH_ONLY:
            if key in self.raw:
                self.log.at(self.raw, key, f"'{key}' is only for walkthroughs (kind: walkthrough)")
        check_callouts(self.body.callouts, LESSON_CALLOUTS, self.log, where="a lesson")
        if STUDENT in values.get("audiences", ()):
            self._check_relative_section()

    def _check_relative_section(self) -> None:
        wanted = RELATIVE_SECTION.casefold()
        headings = self.body.headings(level=2)
        found = [h for h in headings if _normal(h.text) == wanted]
        if not found:
            self.log.add(
                self.body.last_line,
                f"a student lesson ends with a section "
                f"'## {RELATIVE_SECTION}': how to teach this to a relative",
            )
        elif found[-1] is not headings[-1]:
            self.log.add(found[-1].line, f"'## {RELATIVE_SECTION}' must be the last section")
        elif not self.body.slice(found[-1].index + 1).text.strip():
            self.log.add(found[-1].line, f"the section '## {RELATIVE_SECTION}' is empty")

    def _check_walkthrough(self, values: dict[str, Any], step_count: int) -> None:
        task_id = values.get("task")
        if self.raw.get("task") is None:
            self.log.add(
                self.raw.line,
                "a walkthrough needs 'task': the id of the essential "
                "task it teaches (see app/content/data/essential_tasks.yaml)",
            )
        elif task_id is not None and self.framework.task(task_id) is None:
            self.log.at(
                self.raw,
                "task",
                f"unknown task '{task_id}'; see app/content/data/essential_tasks.yaml",
            )
        if self.raw.get("quiz") is None:
            self.log.add(self.raw.line, "a walkthrough needs 'quiz': its 3–5 check questions")
        if self.raw.get("key_steps") is None:
            self.log.add(
                self.raw.line,
                "a walkthrough needs 'key_steps': the steps the relative must do themselves",
            )
        for index, number in enumerate(values.get("key_steps", ())):
            if not 1 <= number <= step_count:
                self._at_item(
                    "key_steps",
                    index,
                    f"key step {number} does not exist: the walkthrough has {step_count} steps",
                )

    def _at_item(self, key: str, index: int, message: str) -> None:
        """Report on a list item's line, or the key's line when a single value was given."""
        container = self.raw.get(key)
        if isinstance(container, YamlList):
            self.log.add(line_of(container, index), message)
        else:
            self.log.at(self.raw, key, message)


def _normal(heading: str) -> str:
    """Compare headings loosely: "## Hướng dẫn người thân:" still counts."""
    return heading.strip().rstrip(":").strip().casefold()
