"""Loading the good tree: every field of lessons, walkthroughs, quizzes and paths."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from app.content import rendering
from app.content.loader import load_content
from app.content.models import Lesson
from app.content.questions import ChoiceQuestion, OrderingQuestion, TrueFalseQuestion
from app.content.registry import ContentRegistry
from tests.content.conftest import GOOD


def _lesson(registry: ContentRegistry, lesson_id: str) -> Lesson:
    lesson = registry.lesson(lesson_id)
    assert lesson is not None
    return lesson


def test_good_tree_loads_without_problems(good: ContentRegistry) -> None:
    assert good.problems == ()
    assert sorted(good.lessons) == ["cb-khung-nang-luc", "hs-danh-gia", "hs-tim-kiem", "nt-vneid"]
    assert sorted(good.quizzes) == ["hs-tim-kiem-quiz", "nt-vneid-quiz"]
    assert list(good.paths) == ["core-tc1", "nguoi-than-co-ban"]


def test_lesson_fields(good: ContentRegistry) -> None:
    lesson = _lesson(good, "hs-tim-kiem")
    source = GOOD / "lessons/hoc-sinh/hs-tim-kiem.md"
    assert lesson.kind == "lesson"
    assert lesson.title == "Tìm kiếm thông tin hiệu quả"
    assert lesson.summary.startswith("Chọn từ khóa")
    assert lesson.competences == ("1.1",)
    assert lesson.levels == ("TC1", "TC2")
    assert lesson.audiences == ("student",)
    assert lesson.minutes == 15
    assert lesson.prerequisites == ()
    assert lesson.quiz_id == "hs-tim-kiem-quiz"
    assert (lesson.task_id, lesson.key_steps, lesson.steps) == (None, (), ())
    assert lesson.source_path == source.resolve()
    assert lesson.relative_path == "lessons/hoc-sinh/hs-tim-kiem.md"
    assert lesson.content_hash == hashlib.sha256(source.read_bytes()).hexdigest()
    assert lesson.images == ("hoc-sinh/hinh/o-tim-kiem.svg",)
    assert lesson.domains == ("1",)
    assert lesson.intro_html == ""
    assert "<h2>Chọn từ khóa</h2>" in lesson.body_html
    assert 'aria-label="Cảnh báo lừa đảo"' in lesson.body_html
    assert "<table>" in lesson.body_html


def test_optional_fields_default(good: ContentRegistry) -> None:
    lesson = _lesson(good, "hs-danh-gia")
    assert lesson.kind == "lesson"  # kind is optional
    assert lesson.levels == ("TC1",)  # a single level is accepted
    assert lesson.quiz_id is None
    assert lesson.prerequisites == ("hs-tim-kiem",)
    assert lesson.domains == ("1",)


def test_walkthrough_is_cut_into_steps(good: ContentRegistry) -> None:
    walkthrough = _lesson(good, "nt-vneid")
    assert walkthrough.is_walkthrough
    assert walkthrough.task_id == "vneid-level2"
    assert walkthrough.key_steps == (2, 3)
    assert (
        walkthrough.intro_html
        == "<p>Làm xong, bác có tài khoản VNeID trên điện thoại của mình.</p>"
    )
    first, second, third = walkthrough.steps
    assert [s.index for s in walkthrough.steps] == [1, 2, 3]
    assert [s.is_key for s in walkthrough.steps] == [False, True, True]

    assert first.title == "Mở kho ứng dụng trên điện thoại"
    assert first.instruction_html == (
        "<p>Chạm vào biểu tượng CH Play (điện thoại Android) hoặc App Store (iPhone).</p>"
    )
    assert first.see_html == "<p>Một ô tìm kiếm ở phía trên màn hình.</p>"
    assert first.ifdiff_html is not None and "Vuốt sang trang khác" in first.ifdiff_html
    assert first.warning is None

    assert second.ifdiff_html is None
    assert second.warning is not None and second.warning.kind == "code"
    assert "Không đọc mã" in second.warning.html

    # The order of call-outs inside a step does not matter.
    assert third.warning is not None and third.warning.kind == "scam"
    assert third.see_html == "<p>Hai ô nhập mật khẩu.</p>"
    assert "callout" not in third.instruction_html


def test_walkthrough_body_shows_every_step_on_one_page(good: ContentRegistry) -> None:
    body = _lesson(good, "nt-vneid").body_html
    assert body.count("<h2>") == 3
    assert 'class="callout callout-see"' in body
    assert 'class="callout callout-code"' in body


def test_quiz_fields(good: ContentRegistry) -> None:
    quiz = good.quiz("hs-tim-kiem-quiz")
    assert quiz is not None
    source = GOOD / "quizzes/hs-tim-kiem-quiz.yaml"
    assert quiz.title == "Kiểm tra: Tìm kiếm thông tin hiệu quả"
    assert quiz.competences == ("1.1",)
    assert (quiz.pass_mark, quiz.shuffle_options, quiz.draw_count) == (70, True, 5)
    assert quiz.version == hashlib.sha256(source.read_bytes()).hexdigest()
    assert quiz.relative_path == "quizzes/hs-tim-kiem-quiz.yaml"
    q1, q2, q3, q4, q5, q6 = quiz.questions
    assert isinstance(q1, ChoiceQuestion) and q1.type == "single_choice"
    assert q1.explanation == "Từ khóa tốt ngắn gọn và chứa các từ quan trọng nhất."
    assert [o.id for o in q1.options] == ["a", "b", "c"]
    assert q1.options[0].correct and q1.options[0].feedback == "Đúng: ngắn gọn và đủ ý."
    assert q1.options[2].feedback is None
    assert isinstance(q2, ChoiceQuestion) and q2.correct_ids == {"a", "b"}
    assert isinstance(q3, TrueFalseQuestion) and q3.answer is False
    assert isinstance(q4, OrderingQuestion) and [i.id for i in q4.items] == ["a", "b", "c"]
    assert isinstance(q6, TrueFalseQuestion) and q6.explanation is None
    assert quiz.question("q5") is q5
    assert quiz.question("q9") is None


def test_shuffle_options_defaults_to_true(content_root: Path) -> None:
    quiz_file = content_root / "quizzes/nt-vneid-quiz.yaml"
    quiz_file.write_text(quiz_file.read_text().replace("shuffle_options: false\n", ""))
    quiz = load_content(content_root).quiz("nt-vneid-quiz")
    assert quiz is not None and quiz.shuffle_options is True


def test_paths(good: ContentRegistry) -> None:
    path = good.path("core-tc1")
    assert path is not None
    assert (path.title, path.level, path.audience) == ("Lộ trình cốt lõi lớp 6–7", "TC1", "student")
    assert path.lesson_ids == ("hs-tim-kiem", "hs-danh-gia")


def test_missing_folders_give_an_empty_registry(tmp_path: Path) -> None:
    registry = load_content(tmp_path)
    assert (registry.lessons, registry.quizzes, registry.paths, registry.problems) == (
        {},
        {},
        {},
        (),
    )


def test_paths_file_is_optional(content_root: Path) -> None:
    (content_root / "lessons/paths.yaml").unlink()
    registry = load_content(content_root)
    assert registry.problems == () and not registry.paths


def test_a_lesson_whose_quiz_is_broken_stays_without_it(content_root: Path) -> None:
    """The quiz's own problem is reported; the lesson is fine and keeps working."""
    quiz_file = content_root / "quizzes/hs-tim-kiem-quiz.yaml"
    quiz_file.write_text(quiz_file.read_text().replace("pass_mark: 70", "pass_mark: 0"))
    registry = load_content(content_root)
    assert [p.path for p in registry.problems] == ["quizzes/hs-tim-kiem-quiz.yaml"]
    lesson = registry.lesson("hs-tim-kiem")
    assert lesson is not None and registry.quiz(lesson.quiz_id or "") is None


def test_windows_line_endings_and_decomposed_vietnamese_are_accepted(content_root: Path) -> None:
    lesson_file = content_root / "lessons/hoc-sinh/hs-danh-gia.md"
    text = unicodedata.normalize("NFD", lesson_file.read_text()).replace("\n", "\r\n")
    lesson_file.write_bytes(text.encode("utf-8"))
    registry = load_content(content_root)
    assert registry.problems == ()
    lesson = registry.lesson("hs-danh-gia")
    assert lesson is not None and lesson.title == "Đánh giá nguồn tin"


def test_problems_are_sorted_and_print_as_file_line_message(content_root: Path) -> None:
    (content_root / "quizzes/z.yaml").write_text("schema_version: 1\nid: Z\n")
    (content_root / "quizzes/a.yml").write_text("")
    problems = load_content(content_root).problems
    assert problems == tuple(sorted(problems))
    assert str(problems[0]) == "quizzes/a.yml:1: quiz files end in .yaml: rename this file"


def test_markdown_is_rendered_when_first_needed(content_root: Path) -> None:
    """Start-up and ``content check`` only check; a page renders (once) what it shows."""
    rendering.clear_cache()
    lesson = load_content(content_root).lesson("hs-danh-gia")
    assert lesson is not None
    assert rendering._render.cache_info().currsize == 0
    assert lesson.body_html is lesson.body_html
    assert rendering._render.cache_info().currsize == 1
