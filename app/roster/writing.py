"""Writing a confirmed import: classes, accounts, enrolments and homeroom teachers.

New accounts and enrolments are inserted in bulk (one INSERT per batch rather than one per
row) and the initial passwords are hashed on a few threads, so a whole school of 1,500
students is written within one request. Everything happens inside the caller's transaction;
nothing here commits.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from argon2 import PasswordHasher

from app.auth.services import generate_password
from app.extensions import db
from app.models.org import Classroom, Enrollment, School
from app.models.users import User
from app.roster.card_passwords import KeptPassword
from app.roster.planning import CREATE, UPDATE, ImportPlan, PersonPlan

# Initial passwords are random (about 59 bits, ``generate_password``), so a slow hash adds
# nothing against guessing them: OWASP's cost is meant for passwords people choose. At that
# cost, 1,500 students would take a minute to hash, longer than a request may run. The first
# sign-in rehashes the password at full cost (``needs_rehash``), and must_change_password
# makes the student choose their own, which is hashed at full cost too.
INITIAL_PASSWORD_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
HASH_THREADS = 4  # argon2 releases the GIL while it hashes


def write_plan(plan: ImportPlan, school: School) -> list[KeptPassword]:
    """Apply the plan; return the new accounts' initial passwords for the login cards."""
    homerooms = plan.homeroom_assignments  # decided now: writing makes every change moot
    classrooms = _create_classes(plan, school)
    new_ids, kept = _create_accounts([p for p in plan.people if p.action == CREATE], school)

    enrolments = []
    for person in plan.people:
        if person.action == UPDATE:
            _update_user(person.user, person)
        if not person.is_student:
            continue
        classroom = classrooms[person.class_name]
        if person.action == CREATE:
            enrolments.append(
                {"classroom_id": classroom.id, "student_id": new_ids[person.username]}
            )
        elif person.change("class_name"):
            if person.enrolment is not None:
                person.enrolment.classroom_id = classroom.id  # a move within the year
            else:
                enrolments.append({"classroom_id": classroom.id, "student_id": person.user.id})
    if enrolments:
        db.session.execute(sa.insert(Enrollment), enrolments)

    for class_plan in homerooms:
        teacher = class_plan.homeroom
        class_plan.classroom.homeroom_teacher_id = (
            teacher.user.id if teacher.user is not None else new_ids[teacher.username]
        )
    db.session.flush()
    return kept


def _create_classes(plan: ImportPlan, school: School) -> dict[str, Classroom]:
    for class_plan in plan.new_classes:
        class_plan.classroom = Classroom(
            school_id=school.id, name=class_plan.name, grade=class_plan.grade,
            school_year=plan.school_year,
        )  # fmt: skip
        db.session.add(class_plan.classroom)
    db.session.flush()  # a few dozen rows at most; their ids are needed below
    return {c.name: c.classroom for c in plan.classes}


def _create_accounts(
    people: list[PersonPlan], school: School
) -> tuple[dict[str, int], list[KeptPassword]]:
    """Insert the new accounts; return their ids by username and their passwords."""
    if not people:
        return {}, []
    passwords = [generate_password() for _ in people]
    with ThreadPoolExecutor(HASH_THREADS) as pool:
        hashes = list(pool.map(INITIAL_PASSWORD_HASHER.hash, passwords))
    rows = [
        {
            "username": person.username,
            "password_hash": password_hash,
            "full_name": person.full_name,
            "role": person.role,
            "school_id": school.id,
            "birth_date": person.birth_date,
            "birth_year": person.birth_date.year if person.birth_date else None,
            "external_code": person.code,
            "must_change_password": True,
        }
        for person, password_hash in zip(people, hashes, strict=True)
    ]
    result = db.session.execute(sa.insert(User).returning(User.id, User.username), rows)
    ids = {username: user_id for user_id, username in result}
    kept = [
        KeptPassword(ids[person.username], password, password_hash)
        for person, password, password_hash in zip(people, passwords, hashes, strict=True)
    ]
    return ids, kept


def _update_user(user: User, person: PersonPlan) -> None:
    for change in person.changes:
        if change.field == "full_name":
            user.full_name = person.full_name
        elif change.field == "birth_date":
            user.birth_date = person.birth_date
            user.birth_year = person.birth_date.year
        elif change.field == "code":
            user.external_code = person.code
        elif change.field == "role":
            user.role = person.role
