"""A walkthrough's body cut into steps: one ``## `` heading, one screen, one action.

In a guided session each step is shown alone in large type, with what the learner should
see and a red banner when money, a code or a scam is involved. That only works if every
step is complete, so the rules in docs/authoring.md are checked here step by step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.content.lesson_body import check_callouts
from app.content.markdown_source import Callout, Heading, MarkdownSource
from app.content.models import WARNING_KINDS, MarkdownText, Step, StepWarning
from app.content.problems import ProblemLog

MIN_STEPS = 3
INTRO_CALLOUTS = ("tip", "warning", "scam")
STEP_CALLOUTS = ("see", "ifdiff", *WARNING_KINDS)
NUMBERED = re.compile(r"^(?:\d+\s*[.):-]|bước\s*\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class StepSource:
    """One step as written, checked but not yet rendered."""

    index: int
    heading: Heading
    source: MarkdownSource  # the lines under the heading
    see: Callout
    ifdiff: Callout | None
    warning: Callout | None


def read_steps(body: MarkdownSource, log: ProblemLog) -> tuple[MarkdownSource, list[StepSource]]:
    """Split the body into the intro and the steps, reporting every incomplete step."""
    headings = body.headings(level=2)
    intro = body.slice(0, headings[0].index if headings else None)
    check_callouts(intro.callouts, INTRO_CALLOUTS, log, where="a walkthrough's intro")
    if len(headings) < MIN_STEPS:
        log.add(
            headings[0].line if headings else body.first_line,
            f"a walkthrough needs at least {MIN_STEPS} steps ('## ' headings), not {len(headings)}",
        )
    steps = []
    for number, heading in enumerate(headings, start=1):
        end = headings[number].index if number < len(headings) else None
        step = _read_step(number, heading, body.slice(heading.index + 1, end), log)
        if step is not None:
            steps.append(step)
    return intro, steps


def build_steps(
    steps: list[StepSource], key_steps: tuple[int, ...], markdown: Callable[[str], MarkdownText]
) -> tuple[Step, ...]:
    built = []
    for step in steps:
        callouts = [c for c in (step.see, step.ifdiff, step.warning) if c is not None]
        warning = step.warning
        built.append(
            Step(
                index=step.index,
                title=step.heading.text,
                instruction=markdown(step.source.text_without(callouts)),
                see=markdown(step.see.markdown),
                ifdiff=markdown(step.ifdiff.markdown) if step.ifdiff else None,
                warning=StepWarning(warning.kind, markdown(warning.markdown)) if warning else None,
                is_key=step.index in key_steps,
            )
        )
    return tuple(built)


def _read_step(
    number: int, heading: Heading, source: MarkdownSource, log: ProblemLog
) -> StepSource | None:
    before = len(log)
    where = f"step {number}"
    if not heading.text:
        log.add(heading.line, f"{where} has an empty heading")
    elif NUMBERED.match(heading.text):
        log.add(heading.line, f"do not number steps yourself ('{heading.text}'): the site does")
    callouts = source.callouts
    check_callouts(callouts, STEP_CALLOUTS, log, where="a walkthrough step")
    see = _single(callouts, ("see",), log, f"{where} can have only one [!SEE] call-out")
    ifdiff = _single(callouts, ("ifdiff",), log, f"{where} can have only one [!IFDIFF] call-out")
    warning = _single(
        callouts,
        WARNING_KINDS,
        log,
        f"{where} can have only one warning ([!SCAM], [!MONEY], [!CODE] or [!WARNING])",
    )
    if see is None:
        log.add(
            heading.line,
            f"{where} has no [!SEE] call-out: say what the learner should see on screen",
        )
    if not source.text_without(callouts).strip():
        log.add(heading.line, f"{where} has no instruction: write the one action to do")
    if len(log) > before or see is None:
        return None
    return StepSource(number, heading, source, see, ifdiff, warning)


def _single(
    callouts: list[Callout], kinds: tuple[str, ...], log: ProblemLog, message: str
) -> Callout | None:
    found = [callout for callout in callouts if callout.kind in kinds]
    for extra in found[1:]:
        log.add(extra.line, message)
    return found[0] if found else None
