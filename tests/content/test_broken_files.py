"""Every check of the content checker: one broken fixture each, message and line.

Each case lays ``fixtures/broken/<case>`` over the good tree and expects exactly the
problems listed (file, line, part of the message), and that every other file still loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.content.loader import load_content
from tests.content.conftest import BROKEN, GOOD

HS = "lessons/hoc-sinh/bai-hong.md"
CB = "lessons/can-bo/bai-hong.md"
NT = "lessons/nguoi-than/bai-hong.md"
Q = "quizzes/bai-hong-quiz.yaml"
P = "lessons/paths.yaml"
GOOD_HS = "lessons/hoc-sinh/hs-tim-kiem.md"
GOOD_HS2 = "lessons/hoc-sinh/hs-danh-gia.md"
GOOD_Q = "quizzes/hs-tim-kiem-quiz.yaml"

CASES: dict[str, list[tuple[str, int, str]]] = {
    # Any content file
    "lesson-yaml-syntax": [(HS, 5, "YAML syntax error: did not find expected key")],
    "lesson-duplicate-key": [(HS, 10, "duplicate key 'title'")],
    "lesson-no-front-matter": [(HS, 1, "missing front matter")],
    "lesson-front-matter-not-closed": [(HS, 1, "the front matter is not closed")],
    "lesson-front-matter-not-mapping": [(HS, 2, "the front matter must be 'field: value' lines")],
    "lesson-schema-version-missing": [(HS, 2, "missing required field 'schema_version'")],
    "lesson-schema-version-unsupported": [(HS, 2, "unsupported schema_version 2")],
    # Front matter fields
    "lesson-missing-field": [(HS, 2, "missing required field 'summary'")],
    "lesson-empty-value": [(HS, 4, "'title' has no value")],
    "lesson-wrong-type": [(HS, 9, "'minutes' must be a whole number")],
    "lesson-text-not-list": [(HS, 6, "'competences' must be a list")],
    "lesson-unknown-field": [
        (HS, 10, "unknown field 'prerequisite' (did you mean 'prerequisites'?)")
    ],
    "lesson-bad-id": [(HS, 3, "bad id 'HS_Bai_Hong'")],
    "lesson-unknown-kind": [(HS, 10, "unknown kind 'bai-hoc'")],
    "lesson-unknown-competence": [(HS, 8, "unknown competence '7.1'")],
    "lesson-competence-not-quoted": [(HS, 6, "'competences' item 1.2 must be text; put it in")],
    "lesson-duplicate-competence": [(HS, 6, "'1.1' is listed twice in 'competences'")],
    "lesson-unknown-level": [(HS, 7, "unknown level 'TC3'")],
    "lesson-unknown-audience": [("lessons/khac/bai-hong.md", 8, "unknown audience 'students'")],
    "lesson-folder-audience": [
        (CB, 8, "a lesson in lessons/can-bo/ must list the audience 'staff'")
    ],
    "lesson-minutes-out-of-range": [(HS, 9, "'minutes' must be between 1 and 240, not 0")],
    "lesson-own-prerequisite": [(HS, 10, "a lesson cannot be its own prerequisite")],
    "lesson-bad-reference-id": [(HS, 10, "'Bai Hong Quiz' is not a valid id")],
    "lesson-walkthrough-field": [(HS, 10, "'key_steps' is only for walkthroughs")],
    # Lesson body
    "lesson-empty-body": [(CB, 11, "the lesson has no text after the front matter")],
    "lesson-h1-heading": [(HS, 12, "do not use '# ' headings")],
    "lesson-raw-html": [
        (HS, 16, "raw HTML '<b>' is not allowed"),
        (HS, 18, "raw HTML '<script>' is not allowed"),
    ],
    "lesson-hidden-list": [(HS, 17, "put a blank line before the list starting '- giấy'")],
    "lesson-missing-relative-section": [
        (HS, 16, "a student lesson ends with a section '## Hướng dẫn người thân'")
    ],
    "lesson-relative-section-not-last": [
        (HS, 18, "'## Hướng dẫn người thân' must be the last section")
    ],
    "lesson-relative-section-empty": [(HS, 18, "the section '## Hướng dẫn người thân' is empty")],
    "lesson-unknown-callout": [(HS, 18, "unknown call-out [!NOTE]; use [!TIP], [!WARNING]")],
    "lesson-walkthrough-callout": [(HS, 18, "[!SEE] is not used in a lesson")],
    "lesson-empty-callout": [(HS, 18, "the [!TIP] call-out is empty")],
    "image-without-alt": [(HS, 16, "image 'hinh/o-tim-kiem.svg' has no alt text")],
    "image-missing": [(HS, 16, "image 'hinh/khong-co.svg' not found")],
    "image-outside-lessons": [
        (HS, 16, "image '../../quizzes/bieu-do.svg' is outside the lessons/ folder")
    ],
    "image-external": [
        (HS, 16, "image 'https://example.com/bieu-do.png' must be a file beside the lesson")
    ],
    "image-not-an-image": [(HS, 16, "image 'hinh/tai-lieu.pdf' must be one of: .png")],
    "image-svg-with-script": [(HS, 16, "image 'hinh/co-script.svg' contains script or event")],
    # References between files
    "lesson-duplicate-id": [
        (HS, 3, f"duplicate lesson id 'hs-tim-kiem': also in {GOOD_HS}"),
        (GOOD_HS, 3, f"duplicate lesson id 'hs-tim-kiem': also in {HS}"),
    ],
    "lesson-unknown-quiz": [(HS, 10, "quiz 'khong-co-quiz' does not exist")],
    "lesson-shared-quiz": [
        (HS, 10, f"quiz 'hs-tim-kiem-quiz' is also used by {GOOD_HS}"),
        (GOOD_HS, 12, f"quiz 'hs-tim-kiem-quiz' is also used by {HS}"),
    ],
    "lesson-unknown-prerequisite": [(HS, 12, "prerequisite 'khong-co-bai' is not a lesson id")],
    "lesson-prerequisite-cycle": [
        (GOOD_HS2, 10, "prerequisites go round in a circle: hs-danh-gia → hs-tim-kiem → hs-danh"),
        (GOOD_HS, 11, "prerequisites go round in a circle: hs-tim-kiem → hs-danh-gia → hs-tim"),
    ],
    # Walkthroughs
    "walkthrough-no-steps": [
        (NT, 13, "key step 1 does not exist: the walkthrough has 0 steps"),
        (NT, 15, "a walkthrough needs at least 3 steps ('## ' headings), not 0"),
    ],
    "walkthrough-two-steps": [
        (NT, 18, "a walkthrough needs at least 3 steps"),
    ],
    "walkthrough-step-without-see": [(NT, 18, "step 1 has no [!SEE] call-out")],
    "walkthrough-step-two-see": [(NT, 39, "step 3 can have only one [!SEE] call-out")],
    "walkthrough-step-two-warnings": [(NT, 42, "step 3 can have only one warning")],
    "walkthrough-step-numbered": [(NT, 25, "do not number steps yourself ('Bước 2: Việc")],
    "walkthrough-step-no-instruction": [(NT, 18, "step 1 has no instruction")],
    "walkthrough-step-tip": [(NT, 39, "[!TIP] is not used in a walkthrough step")],
    "walkthrough-intro-see": [(NT, 18, "[!SEE] is not used in a walkthrough's intro")],
    "walkthrough-key-step-out-of-range": [(NT, 13, "key step 4 does not exist")],
    "walkthrough-unknown-task": [(NT, 5, "unknown task 'vneid-muc-2'")],
    "walkthrough-missing-task": [(NT, 2, "a walkthrough needs 'task'")],
    "walkthrough-missing-quiz": [(NT, 2, "a walkthrough needs 'quiz'")],
    "walkthrough-missing-key-steps": [(NT, 2, "a walkthrough needs 'key_steps'")],
    "walkthrough-quiz-size": [
        ("quizzes/nt-bai-hong-quiz.yaml", 6, "walkthrough 'nt-bai-hong' asks 6 questions; ask 3–5")
    ],
    # Quizzes
    "quiz-yaml-syntax": [(Q, 10, "YAML syntax error: did not find expected ',' or ']'")],
    "quiz-not-mapping": [(Q, 1, "this file is a YAML mapping: schema_version, id")],
    "quiz-yml-extension": [("quizzes/bai-hong-quiz.yml", 1, "quiz files end in .yaml")],
    "quiz-schema-version-unsupported": [(Q, 1, "unsupported schema_version 2")],
    "quiz-unknown-field": [(Q, 6, "unknown field 'shufle_options' (did you mean 'shuffle")],
    "quiz-unknown-competence": [(Q, 4, "unknown competence '0.1'")],
    "quiz-duplicate-id": [
        (Q, 2, f"duplicate quiz id 'hs-tim-kiem-quiz': also in {GOOD_Q}"),
        (GOOD_Q, 2, f"duplicate quiz id 'hs-tim-kiem-quiz': also in {Q}"),
    ],
    "quiz-no-questions": [(Q, 6, "'questions' is empty")],
    "quiz-pass-mark-out-of-range": [(Q, 5, "'pass_mark' is a percent from 1 to 100, not 150")],
    "quiz-draw-too-large": [(Q, 6, "'draw' (3) is more than the number of questions (1)")],
    "quiz-draw-zero": [(Q, 6, "'draw' must be at least 1, not 0")],
    "quiz-question-not-mapping": [(Q, 11, "each question must be a mapping")],
    "quiz-unknown-question-type": [(Q, 8, "unknown question type 'essay'; use single_choice")],
    "quiz-missing-question-type": [(Q, 7, "missing required field 'type'")],
    "quiz-duplicate-question-id": [(Q, 11, "duplicate question id 'q1'")],
    "quiz-bad-question-id": [(Q, 7, "bad id 'Câu 1'")],
    "quiz-question-unknown-field": [(Q, 11, "unknown field 'explaination' (did you mean")],
    "single-choice-two-correct": [(Q, 10, "single_choice questions need exactly one correct")],
    "single-choice-no-correct": [(Q, 10, "exactly one correct option (correct: true), not 0")],
    "multiple-choice-no-correct": [(Q, 10, "multiple_choice questions need at least one correct")],
    "choice-one-option": [(Q, 10, "single_choice questions need 2–6 options, not 1")],
    "choice-seven-options": [(Q, 10, "multiple_choice questions need 2–6 options, not 7")],
    "choice-duplicate-option-id": [(Q, 12, "duplicate option id 'a'")],
    "choice-duplicate-option-text": [(Q, 12, "two options have the same text 'Một'")],
    "choice-option-not-mapping": [(Q, 12, "each option must be a mapping with id and text")],
    "choice-option-correct-not-boolean": [(Q, 12, "'correct' must be true or false")],
    "true-false-answer-not-boolean": [(Q, 10, "'answer' must be true or false")],
    "true-false-missing-answer": [(Q, 7, "missing required field 'answer'")],
    "ordering-two-items": [(Q, 10, "ordering questions need 3–6 items, not 2")],
    "ordering-seven-items": [(Q, 10, "ordering questions need 3–6 items, not 7")],
    "student-quiz-too-few-questions": [
        (GOOD_Q, 7, "the quiz of student lesson 'hs-tim-kiem' needs at least 6 questions, not 5")
    ],
    "student-quiz-one-type": [(GOOD_Q, 6, "needs at least 2 question types")],
    # Paths
    "paths-yaml-syntax": [(P, 5, "YAML syntax error")],
    "paths-schema-version-unsupported": [(P, 1, "unsupported schema_version 3")],
    "path-not-mapping": [(P, 3, "each path must be a mapping")],
    "path-unknown-lesson": [(P, 9, "path 'core-tc1' names unknown lesson 'hs-khong-co'")],
    "path-unknown-level": [(P, 5, "unknown level 'THCS'")],
    "path-unknown-audience": [(P, 6, "unknown audience 'hoc-sinh'")],
    "path-wrong-audience": [(P, 9, "lesson 'hs-tim-kiem' is not for the path's audience 'staff'")],
    "path-prerequisite-order": [
        (P, 8, "lesson 'hs-danh-gia' comes before its prerequisite 'hs-tim-kiem'")
    ],
    "path-duplicate-id": [(P, 8, "duplicate path id 'core-tc1'")],
    "path-duplicate-lesson": [(P, 9, "'hs-tim-kiem' is listed twice in 'lessons'")],
}


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(CASES) == sorted(p.name for p in BROKEN.iterdir())


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_file_is_reported_and_left_out(
    case: str, broken_root: Callable[[str], Path]
) -> None:
    registry = load_content(broken_root(case))

    found = [(p.path, p.line, p.message) for p in registry.problems]
    expected = sorted(CASES[case])
    assert len(found) == len(expected), found
    for (path, line, message), (want_path, want_line, fragment) in zip(
        found, expected, strict=True
    ):
        assert (path, line) == (want_path, want_line), found
        assert fragment in message, found

    broken_files = {path for path, _, _ in expected} | _files_of(case)
    _assert_left_out_and_rest_loaded(registry, broken_files)


def _files_of(case: str) -> set[str]:
    return {p.relative_to(BROKEN / case).as_posix() for p in (BROKEN / case).rglob("*.*")}


def _assert_left_out_and_rest_loaded(registry, broken_files: set[str]) -> None:
    loaded = {lesson.relative_path for lesson in registry.lessons.values()}
    loaded |= {quiz.relative_path for quiz in registry.quizzes.values()}
    problem_files = {p.path for p in registry.problems}
    assert not loaded & problem_files, "a file with a problem must be left out whole"
    good_files = {
        p.relative_to(GOOD).as_posix()
        for p in GOOD.rglob("*")
        if p.suffix in {".md", ".yaml"} and p.name != "paths.yaml"
    }
    assert good_files - broken_files <= loaded, "the rest keeps working"
    if "lessons/paths.yaml" in problem_files:
        assert not registry.paths


def test_file_that_is_not_utf8(content_root: Path) -> None:
    """Written here rather than kept as a fixture: tools choke on such a file in the repo."""
    text = (BROKEN / "lesson-missing-field" / HS).read_text(encoding="utf-8")
    (content_root / HS).write_bytes(
        text.replace("Bài", "B\udcffi").encode("utf-8", "surrogateescape")
    )
    registry = load_content(content_root)
    assert [str(p) for p in registry.problems] == [
        f"{HS}:4: the file is not UTF-8 text: save it as UTF-8"
    ]
    _assert_left_out_and_rest_loaded(registry, {HS})
