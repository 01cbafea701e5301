"""A quiz paper: the questions drawn for one attempt, and reading the answers sent back.

The paper travels with the form as a signed token (itsdangerous, keyed by the app's
secret), so the server keeps no state between showing a quiz and grading it, yet trusts
nothing the browser could change: which learner, which quiz and version, which questions,
and the submission token that makes a double submit record one attempt. Option order is
seeded by the submission token, so a re-shown paper looks exactly as it did.

Form fields: ``q.<question id>`` holds the chosen option ids (or ``true``/``false``);
an ordering question has one ``q.<question id>.<item id>`` select per item holding its
position (1, 2, …), so it works without JavaScript. Dots cannot occur in content ids, so
names never collide.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.content.models import Quiz
from app.content.questions import InvalidAnswer, Question, question_type
from app.models.users import User

PAPER_SALT = "learn.quiz-paper"
PAPER_MAX_AGE = 24 * 60 * 60  # a quiz left open for a day must be fetched again
FIELD_PREFIX = "q."


class PaperError(Exception):
    """A paper that cannot be graded; ``message`` says why, in the learner's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ForgedPaper(PaperError):
    """Not signed by us, or issued to another learner or for another quiz."""


class ExpiredPaper(PaperError):
    """Older than PAPER_MAX_AGE: the learner gets a fresh paper."""


class OutdatedPaper(PaperError):
    """The quiz file changed since the paper was drawn: its questions may not exist."""


@dataclass(frozen=True)
class Paper:
    quiz_id: str
    user_id: int
    submission_token: str
    quiz_version: str
    question_ids: tuple[str, ...]
    issued_at: float = 0.0

    def rng(self, salt: str = "") -> random.Random:
        """Seeded by the submission token: the same paper always shows the same order."""
        return random.Random(f"{self.submission_token}:{salt}")  # noqa: S311 - not security

    def questions(self, quiz: Quiz) -> list[Question]:
        found = (quiz.question(qid) for qid in self.question_ids)
        return [q for q in found if q is not None]


def issue_paper(user: User, quiz: Quiz) -> Paper:
    """Draw the questions of a new attempt (all, or ``draw`` of them at random)."""
    token = secrets.token_hex(16)
    drawn = quiz.draw(random.Random(token))  # noqa: S311 - which questions, not a secret
    return Paper(quiz.id, user.id, token, quiz.version, tuple(q.id for q in drawn), time.time())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=PAPER_SALT)


def sign_paper(paper: Paper) -> str:
    return _serializer().dumps(
        {
            "quiz": paper.quiz_id,
            "user": paper.user_id,
            "token": paper.submission_token,
            "version": paper.quiz_version,
            "questions": list(paper.question_ids),
        }
    )


def read_paper(signed: str, user: User, quiz: Quiz) -> Paper:
    """The paper in a submitted form, if we issued it to this learner for this quiz.

    Raises ForgedPaper. Age and version are checked separately (``check_current``) so
    that a replay of an already graded paper can still find its attempt.
    """
    try:
        data, timestamp = _serializer().loads(signed, return_timestamp=True)
        paper = Paper(
            quiz_id=data["quiz"],
            user_id=data["user"],
            submission_token=data["token"],
            quiz_version=data["version"],
            question_ids=tuple(data["questions"]),
            issued_at=timestamp.timestamp(),
        )
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ForgedPaper(
            _("Phiếu làm bài không hợp lệ. Hãy mở lại bài kiểm tra và làm lại.")
        ) from None
    if paper.user_id != user.id or paper.quiz_id != quiz.id:
        raise ForgedPaper(_("Phiếu làm bài này không phải của bạn hoặc của bài kiểm tra này."))
    return paper


def check_current(paper: Paper, quiz: Quiz) -> None:
    """Raise ExpiredPaper or OutdatedPaper for a paper that must not be graded now."""
    if time.time() - paper.issued_at > PAPER_MAX_AGE:
        raise ExpiredPaper(
            _("Phiếu làm bài đã mở quá lâu (hơn một ngày). Đây là phiếu mới, bạn làm lại nhé.")
        )
    if paper.quiz_version != quiz.version or len(paper.questions(quiz)) != len(paper.question_ids):
        raise OutdatedPaper(_("Bài kiểm tra vừa được cập nhật. Đây là đề mới, bạn làm lại nhé."))


# --- showing the paper ------------------------------------------------------------------


@dataclass
class PaperQuestion:
    """One question as the form shows it: never the answer."""

    number: int  # 1, 2, … as the learner sees it
    question: Question
    view: dict[str, Any]  # the type's public_view
    field_name: str
    chosen: list[str] = field(default_factory=list)  # values sent back, to re-show them
    positions: dict[str, str] = field(default_factory=dict)  # ordering: item id → position
    error: str | None = None

    @property
    def type(self) -> str:
        return self.question.type

    def item_field(self, item_id: str) -> str:
        return f"{self.field_name}.{item_id}"

    def position_of(self, item_id: str, default: int) -> str:
        """Ordering: the position sent back for an item, or its place on the page."""
        return self.positions.get(item_id, str(default))

    def keep(self, form: Mapping[str, Any]) -> None:
        """Re-show what the learner sent, so nothing they chose is lost."""
        self.chosen = list(form.getlist(self.field_name))
        for entry in self.view.get("items", ()):
            value = form.get(self.item_field(entry["id"]))
            if value:
                self.positions[entry["id"]] = value


def paper_questions(paper: Paper, quiz: Quiz) -> list[PaperQuestion]:
    shown = []
    for number, question in enumerate(paper.questions(quiz), start=1):
        kind = question_type(question.type)
        view = kind.public_view(question, paper.rng(question.id), quiz.shuffle_options)
        shown.append(PaperQuestion(number, question, view, field_name(question)))
    return shown


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.id}"


# --- reading answers ----------------------------------------------------------------------


class AnswerProblems(Exception):
    """What is wrong with a submitted form: per question, and for the form as a whole."""

    def __init__(self, by_question: dict[str, str], general: str | None) -> None:
        super().__init__(general or "; ".join(by_question.values()))
        self.by_question = by_question  # question id → message
        self.general = general


class _Unanswered(Exception):
    pass


class _RepeatedPosition(InvalidAnswer):
    pass


class _BadPosition(InvalidAnswer):
    pass


def read_answers(
    paper: Paper, quiz: Quiz, form: Mapping[str, Any]
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The submitted values per question, and each parsed into its type's answer.

    ``form`` is a werkzeug MultiDict. Raises AnswerProblems naming every unanswered or
    impossible answer, and any field for a question not on this paper (a tampered form).
    Values are what ``parse_answer`` takes: option ids, ``true``/``false``, or for an
    ordering question the item ids in the learner's order.
    """
    questions = paper.questions(quiz)
    expected = {name for question in questions for name in _field_names(question)}
    general = None
    if any(k.startswith(FIELD_PREFIX) and k not in expected for k in form):
        general = _(
            "Bài làm có câu trả lời cho câu hỏi không có trong đề này. "
            "Hãy kiểm tra lại các câu bên dưới rồi nộp lại."
        )
    by_question: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for number, question in enumerate(questions, start=1):
        try:
            values[question.id] = _values(question, form)
            kind = question_type(question.type)
            parsed[question.id] = kind.parse_answer(question, values[question.id])
        except _Unanswered:
            by_question[question.id] = _("Câu %(n)d: bạn chưa trả lời.", n=number)
        except _RepeatedPosition:
            by_question[question.id] = _(
                "Câu %(n)d: mỗi số thứ tự chỉ dùng cho một mục. Hãy sắp xếp lại.", n=number
            )
        except _BadPosition:
            by_question[question.id] = _(
                "Câu %(n)d: hãy chọn một số thứ tự từ 1 đến %(count)d cho từng mục.",
                n=number,
                count=len(question.items),
            )
        except InvalidAnswer:
            by_question[question.id] = _(
                "Câu %(n)d: câu trả lời không có trong câu hỏi. Hãy chọn lại.", n=number
            )
    if by_question or general:
        raise AnswerProblems(by_question, general)
    return values, parsed


def _field_names(question: Question) -> list[str]:
    name = field_name(question)
    if question.type == "ordering":
        return [f"{name}.{item.id}" for item in question.items]
    return [name]


def _values(question: Question, form: Mapping[str, Any]) -> list[str]:
    name = field_name(question)
    if question.type != "ordering":
        values = [v for v in form.getlist(name) if v != ""]
        if not values:
            raise _Unanswered
        return values
    # Ordering: each item's position → the item ids in the order the learner chose.
    positions: dict[str, int] = {}
    for item in question.items:
        raw = form.get(f"{name}.{item.id}", "")
        if raw == "":
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(question.items):
            raise _BadPosition("position out of range")
        positions[item.id] = int(raw)
    if not positions:
        raise _Unanswered
    if len(positions) != len(question.items):
        raise _BadPosition("an item has no position")
    if len(set(positions.values())) != len(positions):
        raise _RepeatedPosition("two items share a position")
    return sorted(positions, key=positions.__getitem__)
