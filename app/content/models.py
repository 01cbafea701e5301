"""The content objects the app works with: lessons, walkthrough steps, quizzes, paths.

They are frozen: content is read from files at start-up and shared by every request, so
nothing may change it in place. Progress rows refer to them by ``id`` only.

Files are checked at start-up, but their Markdown is rendered when a page first needs it
(then cached): start-up and ``content check`` stay fast however many lessons there are.
``*_html`` attributes are ``Markup`` (sanitised), so templates print them without ``|safe``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from app.content.questions import Question
from app.content.rendering import render_markdown

LESSON = "lesson"
WALKTHROUGH = "walkthrough"
KINDS = (LESSON, WALKTHROUGH)

STUDENT = "student"
STAFF = "staff"
PARENT = "parent"
AUDIENCES = (STUDENT, STAFF, PARENT)

WARNING_KINDS = ("scam", "money", "code", "warning")  # a walkthrough step's red banner


@dataclass(frozen=True)
class MarkdownText:
    """Checked Markdown from a lesson file, with what rendering it needs."""

    text: str
    image_base_url: str = field(repr=False)
    source_dir: str = field(repr=False)  # the file's folder, relative to lessons/

    @property
    def html(self) -> Markup:
        return render_markdown(
            self.text, image_base_url=self.image_base_url, source_dir=self.source_dir
        )


@dataclass(frozen=True)
class StepWarning:
    kind: str  # one of WARNING_KINDS
    markdown: MarkdownText

    @property
    def html(self) -> Markup:
        return self.markdown.html


@dataclass(frozen=True)
class Step:
    """One screen of a walkthrough: the action, what the learner should see, what if not."""

    index: int  # counting from 1, as authors write key_steps
    title: str  # the short instruction shown in large type
    instruction: MarkdownText
    see: MarkdownText
    ifdiff: MarkdownText | None
    warning: StepWarning | None
    is_key: bool  # the relative must do this step themselves to pass

    @property
    def instruction_html(self) -> Markup:
        return self.instruction.html

    @property
    def see_html(self) -> Markup:
        return self.see.html

    @property
    def ifdiff_html(self) -> Markup | None:
        return self.ifdiff.html if self.ifdiff else None


@dataclass(frozen=True)
class Lesson:
    id: str
    kind: str  # LESSON or WALKTHROUGH
    title: str
    summary: str
    competences: tuple[str, ...]  # framework codes, "1.1" … "6.3"
    levels: tuple[str, ...]  # level codes, "CB1" … "CS2"
    audiences: tuple[str, ...]  # subset of AUDIENCES
    minutes: int
    prerequisites: tuple[str, ...]  # lesson ids
    quiz_id: str | None
    task_id: str | None  # walkthroughs: the essential task taught
    key_steps: tuple[int, ...]  # walkthroughs: step indexes the relative must do
    source_path: Path  # absolute
    relative_path: str  # from the project root, e.g. "lessons/hoc-sinh/x.md"
    content_hash: str  # sha256 of the file bytes
    body: MarkdownText  # the whole body; for a walkthrough, every step on one page
    intro: MarkdownText | None  # walkthroughs: the text before the first step
    steps: tuple[Step, ...]  # walkthroughs only
    images: tuple[str, ...]  # the images it shows, relative to lessons/

    @property
    def body_html(self) -> Markup:
        return self.body.html

    @property
    def intro_html(self) -> Markup:
        return self.intro.html if self.intro else Markup("")

    @property
    def is_walkthrough(self) -> bool:
        return self.kind == WALKTHROUGH

    @property
    def domains(self) -> tuple[str, ...]:
        """Domain codes of the competences, in order, without repeats."""
        return tuple(dict.fromkeys(code.split(".")[0] for code in self.competences))


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    competences: tuple[str, ...]
    pass_mark: int  # percent of questions right needed to pass, 1–100
    shuffle_options: bool
    draw_count: int | None  # ask only this many questions, drawn from the pool
    questions: tuple[Question, ...]  # the whole pool, in file order
    version: str  # sha256 of the file bytes; stored with each attempt
    relative_path: str

    def draw(self, rng: random.Random) -> tuple[Question, ...]:
        """The questions of one attempt: all in file order, or ``draw_count`` at random.

        Pass a ``random.Random`` seeded per attempt to show the same draw again.
        """
        if self.draw_count is None:
            return self.questions
        return tuple(rng.sample(self.questions, self.draw_count))

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class LearningPath:
    """An ordered list of lessons a school can require (``lessons/paths.yaml``)."""

    id: str
    title: str
    level: str
    audience: str
    lesson_ids: tuple[str, ...]
