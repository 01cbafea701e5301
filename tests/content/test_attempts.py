"""One attempt: drawing questions, showing them, grading a submitted form."""

from __future__ import annotations

import random

import pytest

from app.content.attempts import grade_attempt, public_views
from app.content.models import Quiz
from app.content.questions import InvalidAnswer
from app.content.registry import ContentRegistry


@pytest.fixture
def quiz(good: ContentRegistry) -> Quiz:
    quiz = good.quiz("hs-tim-kiem-quiz")
    assert quiz is not None
    return quiz


RIGHT = {"q1": ["a"], "q2": ["a", "b"], "q3": ["false"], "q4": ["a", "b", "c"], "q5": ["a"]}


def test_draw_takes_n_distinct_questions_from_the_pool(quiz: Quiz) -> None:
    drawn = quiz.draw(random.Random(3))
    assert len(drawn) == quiz.draw_count == 5
    assert len({q.id for q in drawn}) == 5
    assert set(drawn) <= set(quiz.questions)
    assert len({tuple(q.id for q in quiz.draw(random.Random(s))) for s in range(20)}) > 1
    assert quiz.draw(random.Random(3)) == drawn  # same seed, same draw


def test_draw_without_a_draw_count_asks_everything_in_order(good: ContentRegistry) -> None:
    quiz = good.quiz("nt-vneid-quiz")
    assert quiz is not None and quiz.draw_count is None
    assert quiz.draw(random.Random(1)) == quiz.questions


def test_public_views_follow_the_quiz_shuffle_setting(good: ContentRegistry) -> None:
    quiz = good.quiz("nt-vneid-quiz")
    assert quiz is not None and not quiz.shuffle_options
    views = public_views(quiz, quiz.questions, random.Random(0))
    assert [v["id"] for v in views] == ["q1", "q2", "q3"]
    assert [o["id"] for o in views[1]["options"]] == ["a", "b"]


def test_all_right_passes(quiz: Quiz) -> None:
    result = grade_attempt(quiz, ["q1", "q2", "q3", "q4", "q5"], RIGHT)
    assert (result.correct_count, result.score, result.passed) == (5, 100, True)


def test_score_is_rounded_down_so_it_agrees_with_passed(quiz: Quiz) -> None:
    answers = {**RIGHT, "q4": ["c", "b", "a"], "q5": []}  # q5 unanswered
    result = grade_attempt(quiz, ["q1", "q2", "q3", "q4", "q5"], answers)
    assert (result.correct_count, result.score, result.passed) == (3, 60, False)
    unanswered = result.outcomes[4]
    assert unanswered.values == () and not unanswered.result.correct
    assert unanswered.result.correct_answer_view == {
        "options": [{"id": "a", "text": "site:gov.vn"}]
    }

    two_of_three = grade_attempt(quiz, ["q1", "q2", "q3"], {**RIGHT, "q3": ["true"]})
    assert two_of_three.score == 66 and not two_of_three.passed  # 66.7 % < 70 %


def test_details_are_what_an_attempt_row_stores(quiz: Quiz) -> None:
    result = grade_attempt(quiz, ["q3", "q1"], {"q1": ["b"], "q3": ["false"], "other": ["x"]})
    assert result.details() == {
        "questions": ["q3", "q1"],
        "answers": {"q3": ["false"], "q1": ["b"]},
        "correct": {"q3": True, "q1": False},
    }


@pytest.mark.parametrize(
    ("question_ids", "answers"),
    [(["q1"], {"q1": ["zzz"]}), (["q9"], {}), (["q3"], {"q3": ["maybe"]})],
)
def test_tampered_submissions_raise(quiz: Quiz, question_ids, answers) -> None:
    with pytest.raises(InvalidAnswer):
        grade_attempt(quiz, question_ids, answers)
