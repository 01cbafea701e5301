"""init_app, get_content and the CLI, on a bare Flask app (not the project's factory)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask

from app.content import get_content, init_app
from app.content.check import main
from app.content.cli import coverage_table
from tests.content.conftest import GOOD


def make_app(root: Path) -> Flask:
    flask_app = Flask(__name__)
    flask_app.config["CONTENT_ROOT"] = root
    init_app(flask_app)
    return flask_app


def test_init_app_loads_the_registry() -> None:
    flask_app = make_app(GOOD)
    with flask_app.app_context():
        registry = get_content()
    assert registry is flask_app.extensions["content"]
    assert registry.lesson("hs-tim-kiem") is not None


def test_image_base_url_comes_from_config() -> None:
    flask_app = Flask(__name__)
    flask_app.config.update(CONTENT_ROOT=GOOD, CONTENT_IMAGE_URL="/tep")
    init_app(flask_app)
    lesson = flask_app.extensions["content"].lesson("hs-tim-kiem")
    assert 'src="/tep/hoc-sinh/hinh/o-tim-kiem.svg"' in lesson.body_html


def test_get_content_without_init_app() -> None:
    with Flask(__name__).app_context(), pytest.raises(RuntimeError):
        get_content()


def test_problems_are_logged_at_start_up(broken_root, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        make_app(broken_root("lesson-unknown-level"))
    assert (
        "Content file left out: lessons/hoc-sinh/bai-hong.md:7: unknown level 'TC3'" in caplog.text
    )


def test_cli_check_passes_on_good_content() -> None:
    result = make_app(GOOD).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert result.output == "4 bài học, 2 bài kiểm tra, 2 lộ trình, 0 lỗi\n"


def test_cli_check_lists_problems_and_fails(broken_root) -> None:
    flask_app = make_app(broken_root("lesson-shared-quiz"))
    result = flask_app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("lessons/hoc-sinh/bai-hong.md:10: quiz 'hs-tim-kiem-quiz'")
    assert lines[1].startswith("lessons/hoc-sinh/hs-tim-kiem.md:12: quiz 'hs-tim-kiem-quiz'")
    assert lines[2] == "3 bài học, 2 bài kiểm tra, 2 lộ trình, 2 lỗi"


def test_cli_coverage() -> None:
    flask_app = make_app(GOOD)
    result = flask_app.test_cli_runner().invoke(args=["content", "coverage"])
    assert result.exit_code == 0
    assert result.output.splitlines() == coverage_table(flask_app.extensions["content"])
    row = next(line for line in result.output.splitlines() if line.startswith("1.1"))
    assert row.split()[:4] == ["1.1", "2", "0", "0"]


def test_python_m_check_without_flask(broken_root, capsys: pytest.CaptureFixture) -> None:
    assert main([str(GOOD)]) == 0
    assert capsys.readouterr().out == "4 bài học, 2 bài kiểm tra, 2 lộ trình, 0 lỗi\n"
    assert main([str(broken_root("quiz-draw-zero"))]) == 1
    assert "quizzes/bai-hong-quiz.yaml:6: 'draw' must be at least 1" in capsys.readouterr().out


def test_python_m_check_with_a_wrong_root(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(tmp_path)]) == 2
    assert "no lessons/ or quizzes/ folder" in capsys.readouterr().err
