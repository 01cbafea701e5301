"""Question types: parse, what learners see, reading a form, grading."""

from __future__ import annotations

import json
import random

import pytest

from app.content.problems import ProblemLog
from app.content.questions import (
    QUESTION_TYPES,
    ChoiceQuestion,
    InvalidAnswer,
    Item,
    Option,
    OrderingQuestion,
    TrueFalseQuestion,
    question_type,
)
from app.content.questions.base import QuestionType
from app.content.yaml_source import load_yaml

SINGLE = ChoiceQuestion(
    id="q1",
    type="single_choice",
    prompt="Từ khóa nào tốt nhất?",
    explanation="Ngắn gọn và đủ ý.",
    options=(
        Option("a", "giờ mở cửa thư viện", True, "Đúng: ngắn gọn."),
        Option("b", "cho em hỏi thư viện mở lúc mấy giờ", False, "Nhiều từ thừa."),
        Option("c", "thư viện", False, None),
    ),
)
MULTIPLE = ChoiceQuestion(
    id="q2",
    type="multiple_choice",
    prompt="Dấu hiệu nào cho thấy trang đáng tin?",
    options=(
        Option("a", "Có tên tác giả", True, "Đúng."),
        Option("b", "Tên miền .gov.vn", True, None),
        Option("c", "Nhiều quảng cáo", False, "Không phải."),
    ),
)
TRUE_FALSE = TrueFalseQuestion(
    id="q3",
    type="true_false",
    prompt="Kết quả đầu tiên luôn đúng nhất.",
    answer=False,
    feedback_true="Chưa đúng.",
    feedback_false="Đúng vậy.",
)
ORDERING = OrderingQuestion(
    id="q4",
    type="ordering",
    prompt="Sắp xếp các bước.",
    items=(
        Item("a", "Xác định"),
        Item("b", "Chọn từ khóa"),
        Item("c", "So sánh"),
        Item("d", "Lưu"),
    ),
)
ALL = [SINGLE, MULTIPLE, TRUE_FALSE, ORDERING]


def _grade(question, values: list[str]):
    kind = question_type(question.type)
    return kind.grade(question, kind.parse_answer(question, values))


def test_registry_has_the_four_types_behind_one_interface() -> None:
    assert list(QUESTION_TYPES) == ["single_choice", "multiple_choice", "true_false", "ordering"]
    for name, kind in QUESTION_TYPES.items():
        assert isinstance(kind, QuestionType) and kind.name == name
    assert question_type("essay") is None


@pytest.mark.parametrize(
    ("values", "correct", "feedback"),
    [
        (["a"], True, ("Đúng: ngắn gọn.",)),
        (["b"], False, ("Nhiều từ thừa.",)),
        (["c"], False, ()),
    ],
)
def test_single_choice(values: list[str], correct: bool, feedback: tuple[str, ...]) -> None:
    result = _grade(SINGLE, values)
    assert (result.correct, result.feedback) == (correct, feedback)
    assert result.correct_answer_view == {"options": [{"id": "a", "text": "giờ mở cửa thư viện"}]}


@pytest.mark.parametrize(
    ("values", "correct", "feedback"),
    [
        (["a", "b"], True, ("Đúng.",)),
        (["b", "a"], True, ("Đúng.",)),
        (["a"], False, ("Đúng.",)),  # partly right is wrong
        (["a", "b", "c"], False, ("Đúng.", "Không phải.")),
        (["c"], False, ("Không phải.",)),
    ],
)
def test_multiple_choice_needs_every_right_option_and_no_other(
    values: list[str], correct: bool, feedback: tuple[str, ...]
) -> None:
    result = _grade(MULTIPLE, values)
    assert (result.correct, result.feedback) == (correct, feedback)
    assert [o["id"] for o in result.correct_answer_view["options"]] == ["a", "b"]


@pytest.mark.parametrize(
    ("values", "correct", "feedback"),
    [(["false"], True, ("Đúng vậy.",)), (["true"], False, ("Chưa đúng.",))],
)
def test_true_false(values: list[str], correct: bool, feedback: tuple[str, ...]) -> None:
    result = _grade(TRUE_FALSE, values)
    assert (result.correct, result.feedback) == (correct, feedback)
    assert result.correct_answer_view == {"answer": False}


@pytest.mark.parametrize(
    ("values", "correct"),
    [(["a", "b", "c", "d"], True), (["b", "a", "c", "d"], False), (["d", "c", "b", "a"], False)],
)
def test_ordering(values: list[str], correct: bool) -> None:
    result = _grade(ORDERING, values)
    assert result.correct is correct
    assert [i["id"] for i in result.correct_answer_view["items"]] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("question", "values"),
    [
        (SINGLE, []),
        (SINGLE, ["z"]),  # an option id the question does not have
        (SINGLE, ["a", "b"]),  # two answers to a one-answer question
        (SINGLE, ["a", "a"]),
        (MULTIPLE, ["a", "x"]),
        (MULTIPLE, ["a", "a"]),
        (MULTIPLE, []),
        (TRUE_FALSE, ["yes"]),
        (TRUE_FALSE, ["true", "false"]),
        (TRUE_FALSE, []),
        (ORDERING, ["a", "b", "c"]),  # an item missing
        (ORDERING, ["a", "b", "c", "d", "d"]),
        (ORDERING, ["a", "b", "c", "x"]),
    ],
)
def test_tampered_answers_are_rejected(question, values: list[str]) -> None:
    with pytest.raises(InvalidAnswer):
        question_type(question.type).parse_answer(question, values)


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.type)
def test_public_view_never_shows_the_answer(question) -> None:
    kind = question_type(question.type)
    for seed in range(20):
        view = kind.public_view(question, random.Random(seed), shuffle=True)
        text = json.dumps(view, ensure_ascii=False)
        assert "correct" not in text and "answer" not in text and "feedback" not in text
        for secret in ("Đúng: ngắn gọn.", "Nhiều từ thừa.", "Chưa đúng.", "Đúng vậy.", "Ngắn gọn"):
            assert secret not in text
        assert set(view) <= {"id", "type", "prompt", "options", "items"}
        if isinstance(question, OrderingQuestion):
            assert [i["id"] for i in view["items"]] != ["a", "b", "c", "d"]


def test_choice_options_shuffle_only_when_asked() -> None:
    kind = question_type("single_choice")
    orders = {
        tuple(o["id"] for o in kind.public_view(SINGLE, random.Random(seed), True)["options"])
        for seed in range(30)
    }
    assert len(orders) > 1
    fixed = kind.public_view(SINGLE, random.Random(1), shuffle=False)
    assert [o["id"] for o in fixed["options"]] == ["a", "b", "c"]
    assert fixed == {
        "id": "q1",
        "type": "single_choice",
        "prompt": "Từ khóa nào tốt nhất?",
        "options": [
            {"id": "a", "text": "giờ mở cửa thư viện"},
            {"id": "b", "text": "cho em hỏi thư viện mở lúc mấy giờ"},
            {"id": "c", "text": "thư viện"},
        ],
    }


def test_ordering_items_are_shuffled_even_when_options_are_not() -> None:
    view = question_type("ordering").public_view(ORDERING, random.Random(0), shuffle=False)
    assert sorted(i["id"] for i in view["items"]) == ["a", "b", "c", "d"]
    assert [i["id"] for i in view["items"]] != ["a", "b", "c", "d"]


def test_same_seed_same_view() -> None:
    kind = question_type("multiple_choice")
    assert kind.public_view(MULTIPLE, random.Random(7), True) == kind.public_view(
        MULTIPLE, random.Random(7), True
    )


def test_parse_builds_the_question_from_yaml() -> None:
    raw = load_yaml(
        "id: q1\ntype: single_choice\nprompt: 'Chọn.'\noptions:\n"
        "  - {id: a, text: Một, correct: true, feedback: Đúng}\n  - {id: b, text: Hai}\n"
    )
    log = ProblemLog("quizzes/x.yaml")
    question = question_type("single_choice").parse(raw, log)
    assert log.problems == []
    assert question == ChoiceQuestion(
        id="q1",
        type="single_choice",
        prompt="Chọn.",
        options=(Option("a", "Một", True, "Đúng"), Option("b", "Hai", False, None)),
    )


def test_parse_reports_every_problem_and_builds_nothing() -> None:
    raw = load_yaml("id: Q1\ntype: ordering\nitems:\n  - {id: a}\n  - {id: a, text: Hai}\n")
    log = ProblemLog("quizzes/x.yaml")
    assert question_type("ordering").parse(raw, log) is None
    assert [(p.line, p.message) for p in log.problems] == [
        (1, "missing required field 'prompt'"),
        (
            1,
            "bad id 'Q1': use lowercase ASCII letters, digits and single dashes, like "
            "'hs-1-1-tim-kiem'",
        ),
        (3, "ordering questions need 3–6 items, not 2"),
        (4, "missing required field 'text'"),
        (5, "duplicate item id 'a'"),
    ]
