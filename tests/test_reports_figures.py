"""Every report figure on the small known world of test_reports_fixtures (hand-computed)."""

from __future__ import annotations

import pytest

from app.content import get_content
from app.models.reports import Comparison
from app.reports.class_report import class_report, competence_grid
from app.reports.school_report import build_school_report, build_ward_report
from tests.test_reports_fixtures import build_world


@pytest.fixture
def world(app):
    return build_world()


def _group(groups, name):
    return next(g for g in groups if g["group"] == name)


def test_comparison_at_least_and_more_than_differ_exactly_at_the_target():
    assert Comparison.AT_LEAST.met(4, 5, 80) is True  # 80% ≥ 80%
    assert Comparison.MORE_THAN.met(4, 5, 80) is False  # 80% is not > 80%
    assert Comparison.MORE_THAN.met(91, 100, 90) is True
    assert Comparison.AT_LEAST.met(1, 3, 33) is True  # 33.3…% ≥ 33% without float rounding
    assert Comparison.AT_LEAST.met(0, 0, 80) is None  # nobody to count
    assert Comparison.AT_LEAST.needed(15, 90) == 14  # ⌈13.5⌉
    assert Comparison.MORE_THAN.needed(10, 90) == 10  # 9 is exactly 90%, not more


def test_school_groups_against_both_targets(app, world):
    report = build_school_report(world.school, world.year, get_content())
    groups = report["school"]["groups"]

    staff = _group(groups, "staff")
    assert (staff["achieved"], staff["total"]) == (2, 4)
    assert staff["ward_met"] is True  # 50% ≥ 50%
    assert staff["school_met"] is False  # 50% is not > 50%
    assert staff["school_needed"] == 1

    students = _group(groups, "students")
    assert (students["achieved"], students["total"]) == (2, 6)
    assert students["ward_met"] is False and students["ward_needed"] == 4  # 100% of 6
    assert students["school_met"] is False and students["school_needed"] == 4  # ⌈5.4⌉ = 6

    parents = _group(groups, "parents")
    assert (parents["achieved"], parents["total"]) == (2, 5)  # R1, R4 of R1–R4 + Mai
    assert parents["ward_met"] is True  # 40% ≥ 40%
    assert parents["school_met"] is False  # 40% is not > 40%
    assert report["school"]["relatives_trained"] == 3  # R1, R3, R4; R2 is pending


def test_per_class_figures_and_ranking(app, world):
    report = build_school_report(world.school, world.year, get_content())
    classes = {c["name"]: c for c in report["school"]["classes"]}
    c6, c8 = classes["6A1"], classes["8A1"]
    assert c6["size"] == 4 and c8["size"] == 2
    assert (c6["students"]["achieved"], c6["students"]["total"]) == (1, 4)
    assert (c8["students"]["achieved"], c8["students"]["total"]) == (1, 2)
    # parents linked to the class's students: R1, R2, R3 and Mai for 6A1; R4 for 8A1
    assert (c6["parents"]["achieved"], c6["parents"]["total"]) == (1, 4)
    assert (c8["parents"]["achieved"], c8["parents"]["total"]) == (1, 1)
    assert c6["relatives_trained"] == 2 and c8["relatives_trained"] == 1
    assert c6["relatives_per_student"] == 0.5 and c8["relatives_per_student"] == 0.5
    assert c6["competence_share"] == 0.5 and c8["competence_share"] == 0.5
    assert c6["score"] == 37.5
    assert c8["score"] == 50.0
    assert (c8["rank"], c6["rank"]) == (1, 2)


def test_ranking_counts_only_confirmed_relatives(app, world):
    """R2 (pending) would lift 6A1's relatives per student from 0.5 to 0.75."""
    from app.extensions import db
    from app.models import GuidedSession, ReviewStatus

    session = db.session.scalar(
        db.select(GuidedSession).where(GuidedSession.relative_id == world.relatives["R2"].id)
    )
    session.review_status = ReviewStatus.CONFIRMED
    db.session.commit()
    report = build_school_report(world.school, world.year, get_content())
    c6 = next(c for c in report["school"]["classes"] if c["name"] == "6A1")
    assert c6["relatives_trained"] == 3
    # Bình now achieves too: 100 × (0.5·0.5 + 0.3·0.75 + 0.2·0.5) = 57.5
    assert c6["score"] == 57.5


def test_ward_report_per_school_and_total(app, world):
    report = build_ward_report(world.ward, world.year, get_content())
    schools = {s["name"]: s for s in report["schools"]}
    a, b = schools["Trường THCS Dương Quan"], schools["Trường THCS Hoa Động"]
    assert [(g["achieved"], g["total"]) for g in a["groups"]] == [(2, 4), (2, 6), (2, 5)]
    assert [(g["achieved"], g["total"]) for g in b["groups"]] == [(0, 2), (0, 1), (0, 0)]
    assert b["groups"][2]["ward_met"] is None  # no parent known yet: nothing to compare
    assert "classes" not in a  # the ward sees schools, not classes or people
    total = report["total"]
    assert [(g["achieved"], g["total"]) for g in total] == [(2, 6), (2, 7), (2, 5)]
    # both schools are THCS: the ward's targets apply to the total
    assert [g["ward_met"] for g in total] == [False, False, True]


def test_class_dashboard_rows(app, world):
    report = class_report(world.class_6a1, get_content())
    rows = {r.facts.username: r for r in report.rows}
    an, binh, chi, dung = rows["hs-an"], rows["hs-binh"], rows["hs-chi"], rows["hs-dung"]
    content = get_content()
    tc1_lessons = content.lessons_for(audience="student", level="TC1")
    tc1_quizzes = [x for x in tc1_lessons if x.quiz_id]
    assert len(an.facts.completed) == len(tc1_lessons)
    assert len(an.facts.passed) == len(tc1_quizzes)
    assert len(an.facts.competences) == an.facts.achievable > 0
    assert (an.facts.relatives, binh.facts.relatives, chi.facts.relatives) == (1, 0, 1)
    assert an.facts.achieved and not binh.facts.achieved and not chi.facts.achieved
    assert dung.needs_help and dung.struggling_quizzes == ["hs-1-1-tim-kiem-thong-tin-quiz"]
    assert dung.inactive  # last attempt 10 days ago
    assert not an.needs_help and not an.inactive  # active yesterday
    assert not chi.inactive  # nothing learnt, but leading a guided session is activity
    assert report.achieved_count == 1 and report.relatives_trained == 2


@pytest.mark.parametrize(
    ("failed", "passed", "flagged"),
    [(2, False, False), (3, False, True), (5, True, False)],
    ids=["two-fails", "three-fails", "passed-later"],
)
def test_needs_help_threshold(app, make, failed, passed, flagged):
    from app.extensions import db
    from app.models import QuizResult, Role

    school = make.school()
    teacher = make.user(Role.TEACHER, school)
    classroom = make.classroom(school, teacher)
    student = make.user(Role.STUDENT, school)
    make.enrol(student, classroom)
    db.session.add(QuizResult(user_id=student.id, quiz_id="q", best_score=80 if passed else 20,
                              passed=passed, attempt_count=failed + passed,
                              failed_count=failed))  # fmt: skip
    db.session.commit()
    assert class_report(classroom, get_content()).rows[0].needs_help is flagged


def test_competence_grid_and_what_the_class_misses(app, world):
    content = get_content()
    grid = competence_grid(class_report(world.class_6a1, content), content)
    codes = grid.report.competences
    assert codes  # TC1 has achievable competences
    # An and Bình hold every competence, Chi and Dũng none: 2 of 4 is not under half
    assert all(grid.achieved_by[code] == 2 for code in codes)
    assert grid.missing == []
    an, dung = world.students["hs-an"], world.students["hs-dung"]
    assert all(grid.cells[(an.id, c)].value == "achieved" for c in codes)
    assert all(grid.cells[(dung.id, c)].value == "not_started" for c in codes)


def test_grid_flags_competences_most_of_the_class_lacks(app, world):
    content = get_content()
    grid = competence_grid(class_report(world.class_8a1, content), content)
    # 8A1: Giang holds all TC2 competences, Hà none → 1 of 2 is not under half
    assert grid.missing == []
    from tests import factories

    late = factories.user(factories.Role.STUDENT, world.school, full_name="Mới Vào Lớp")
    factories.enrol(late, world.class_8a1)
    grid = competence_grid(class_report(world.class_8a1, content), content)
    assert grid.missing == grid.report.competences  # 1 of 3 is under half for every one
