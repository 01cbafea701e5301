"""Demo progress: lessons read and quizzes taken, so dashboards and reports have data.

demo-student has passed the first three lessons of the grade 6–7 core path and failed
one try at the fourth (which the browser journey then passes); classmates and the
grade 8 class are spread from nothing to most of their path. Attempts go through the
real grading service with fixed submission tokens, so running the loader again finds
them and changes nothing.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import sqlalchemy as sa

from app.content import get_content
from app.content.models import Quiz
from app.content.questions import ChoiceQuestion, OrderingQuestion, Question, TrueFalseQuestion
from app.content.registry import ContentRegistry
from app.extensions import db
from app.learn.attempts import DuplicateSubmission, record_attempt
from app.learn.quiz_papers import Paper, read_answers
from app.learn.services import complete_lesson, open_lesson
from app.models import Classroom, Enrollment, QuizAttempt, User
from app.models.base import utcnow

# username or class name → (lessons passed, lessons only opened, lessons failed once), by
# position in that class's core path.
DEMO_STUDENT = ("demo-student", 3, 0, 1)
# For classmates: how many path lessons each of the 8 pupils has passed / opened.
CLASS_PATTERN = [(5, 1), (2, 1), (0, 1), (7, 0), (3, 2), (1, 0), (4, 1), (0, 0)]
CLASSES = {"6A1": "core-tc1", "7A1": "core-tc1", "8A1": "core-tc2"}


def load(context: dict) -> None:
    content = get_content()
    school = context.get("school")
    if school is None:
        return
    for name, path_id in CLASSES.items():
        lessons = content.path_lessons(path_id)
        if not lessons:
            continue  # no paths.yaml: nothing to show progress on
        for index, student in enumerate(_class_students(school.id, name)):
            if student.username == DEMO_STUDENT[0]:
                _, passed, opened, failed = DEMO_STUDENT
            else:
                passed, opened = CLASS_PATTERN[index % len(CLASS_PATTERN)]
                failed = 1 if index % 3 == 1 else 0
            _progress(student, lessons, passed, opened, failed, content)
    teacher = context.get("teacher")
    staff_path = content.paths_for("staff")
    if teacher is not None and staff_path:
        _progress(teacher, content.path_lessons(staff_path[0].id), 2, 1, 0, content)


def _class_students(school_id: int, class_name: str) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.student_id == User.id)
            .join(Classroom, Classroom.id == Enrollment.classroom_id)
            .where(Classroom.school_id == school_id, Classroom.name == class_name)
            .order_by(User.username)
        )
    )


def _progress(user, lessons, passed: int, opened: int, failed: int, content) -> None:
    for day, lesson in enumerate(lessons[:passed]):
        open_lesson(user, lesson.id)
        if lesson.quiz_id:
            _attempt(user, content.quiz(lesson.quiz_id), content, right=True, days_ago=20 - day)
        complete_lesson(user, lesson.id)
    for lesson in lessons[passed : passed + max(opened, failed)]:
        open_lesson(user, lesson.id)
        if failed and lesson.quiz_id:
            _attempt(user, content.quiz(lesson.quiz_id), content, right=False, days_ago=2)


def _attempt(user: User, quiz: Quiz | None, content: ContentRegistry, *, right: bool,
             days_ago: int) -> None:  # fmt: skip
    if quiz is None:
        return
    seed = f"demo:{user.username}:{quiz.id}:{'pass' if right else 'fail'}"
    token = hashlib.sha256(seed.encode()).hexdigest()[:32]
    if db.session.scalar(sa.select(QuizAttempt.id).where(QuizAttempt.submission_token == token)):
        return
    questions = quiz.questions[: quiz.draw_count] if quiz.draw_count else quiz.questions
    paper = Paper(quiz.id, user.id, token, quiz.version, tuple(q.id for q in questions),
                  time.time())  # fmt: skip
    form = _Form()
    for number, question in enumerate(questions):
        wrong = not right and number % 2 == 0  # about half wrong: below any pass mark
        form.update(_answer(question, wrong))
    values, parsed = read_answers(paper, quiz, form)
    try:
        attempt = record_attempt(user, quiz, paper, values, parsed, content)
    except DuplicateSubmission:
        return
    attempt.created_at = utcnow() - timedelta(days=days_ago)


class _Form(dict):
    """Just enough of a MultiDict for ``read_answers``."""

    def getlist(self, key: str) -> list[str]:
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def _answer(question: Question, wrong: bool) -> dict:
    name = f"q.{question.id}"
    if isinstance(question, ChoiceQuestion):
        ids = [o.id for o in question.options if o.correct != wrong]
        return {name: ids[:1] if wrong else ids}
    if isinstance(question, TrueFalseQuestion):
        return {name: ["true" if question.answer != wrong else "false"]}
    if isinstance(question, OrderingQuestion):
        order = list(question.items)
        if wrong:
            order.reverse()
        return {f"{name}.{item.id}": str(order.index(item) + 1) for item in question.items}
    return {}
