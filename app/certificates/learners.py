"""Learners' certificates: a completed learning path, or a whole domain at one's level.

"Completed" and "achieved" are decided by ``app.learn.progress_rules``, the same rules
"Tiến độ của tôi" and the reports use, so a certificate never disagrees with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.certificates.issuing import (
    IssueReport,
    classes_of,
    create,
    domain_key,
    framework_order,
    path_key,
)
from app.content import get_content
from app.extensions import db
from app.learn.progress_rules import (
    competences_achieved,
    completed_lessons,
    expected_level,
    level_for_grade,
    passed_quizzes,
    path_completed,
)
from app.models import LEARNER_ROLES, Certificate, CertificateKind, Classroom, Role, School, User


def _levels_of(users: Sequence[User], classes: dict[int, Classroom]) -> dict[int, str | None]:
    """Expected level per learner without a query per student (their class is preloaded)."""
    levels: dict[int, str | None] = {}
    for user in users:
        if user.role == Role.STUDENT:
            classroom = classes.get(user.id)
            levels[user.id] = level_for_grade(classroom.grade) if classroom else None
        else:
            levels[user.id] = expected_level(user)
    return levels


def issue_for_users(users: Sequence[User]) -> IssueReport:
    """Path and domain certificates these learners have earned and do not hold yet.

    A fixed number of queries per call, whatever the number of learners.
    """
    content = get_content()
    report = IssueReport()
    learners = [u for u in users if u.role in LEARNER_ROLES and u.school_id is not None]
    if not learners:
        return report
    ids = [u.id for u in learners]
    passed = passed_quizzes(ids)
    completed = completed_lessons(ids)
    students = [u.id for u in learners if u.role == Role.STUDENT]
    classes = classes_of(students)
    levels = _levels_of(learners, classes)
    schools = {
        s.id: s
        for s in db.session.scalars(
            sa.select(School).where(School.id.in_({u.school_id for u in learners}))
        )
    }
    held = set(
        db.session.scalars(
            sa.select(Certificate.current_key).where(
                Certificate.holder_user_id.in_(ids), Certificate.current_key.is_not(None)
            )
        )
    )
    for user in learners:
        school = schools[user.school_id]
        common = {
            "holder_user_id": user.id,
            "holder_name": user.full_name,
            "school_id": school.id,
            "school_name": school.name,
        }
        classroom = classes.get(user.id)
        extra = {"holder_class": classroom.name} if classroom else {}
        for learning_path in content.paths.values():
            key = path_key(user.id, learning_path.id)
            if learning_path.audience != user.audience or key in held:
                continue
            if not path_completed(learning_path, completed[user.id], passed[user.id], content):
                continue
            lessons = content.path_lessons(learning_path.id)
            certificate = Certificate(
                kind=CertificateKind.PATH,
                achievement_id=learning_path.id,
                achievement_title=learning_path.title,
                competences=framework_order((c for x in lessons for c in x.competences), content),
                level=learning_path.level,
                details={**extra, "lessons": [x.title for x in lessons]},
                source_path_id=learning_path.id,
                **common,
            )
            create(certificate, key, content, report)
        level = levels.get(user.id)
        if level is None:
            continue
        achieved = competences_achieved(passed[user.id], level, user.audience, content)
        for domain in content.framework.domains:
            codes_ = [c.code for c in domain.competences]
            key = domain_key(user.id, domain.code, level)
            if key in held or not codes_ or not set(codes_) <= achieved:
                continue
            certificate = Certificate(
                kind=CertificateKind.DOMAIN,
                achievement_id=domain.code,
                achievement_title=_domain_title(domain.code, domain.name_vi),
                competences=codes_,
                level=level,
                details={**extra, "description": domain.description_vi},
                source_domain=domain.code,
                **common,
            )
            create(certificate, key, content, report)
    db.session.flush()
    return report


def _domain_title(code: str, name: str) -> str:
    with force_locale("vi"):  # stored on the certificate: always Vietnamese
        return _("Lĩnh vực %(code)s: %(name)s", code=code, name=name)


def issue_for_user(user: User) -> IssueReport:
    """Call after a learner passes a quiz or completes a lesson (flushes, never commits)."""
    return issue_for_users([user])
