"""Roster imports, from the uploaded file to the login cards.

1. ``start_import`` reads and checks the file and keeps the parsed rows in a pending
   ``RosterImport`` bound to the admin and their school (nothing else is written).
2. ``preview`` plans the import against the database as it is now.
3. ``confirm_import`` plans again and writes everything in one transaction, or nothing.
4. ``card_groups`` / ``class_cards`` / ``staff_cards`` give the login cards to print.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models.org import Classroom, Enrollment, School, school_year_for
from app.models.roster import ImportStatus, RosterImport
from app.models.users import STAFF_ROLES, Role, User
from app.roster import card_passwords
from app.roster.card_passwords import KeptPassword
from app.roster.parsing import ParsedRoster, parse_roster
from app.roster.planning import CREATE, UPDATE, ImportPlan, plan_import
from app.roster.problems import Problem
from app.roster.spreadsheet import read_sheets
from app.roster.writing import write_plan

log = logging.getLogger(__name__)

PENDING_HOURS = 24
RECENT_IMPORTS = 10


class RosterError(Exception):
    """An import step that cannot go ahead; the view turns it into a message."""


class ImportGone(RosterError):
    """The pending import expired, was discarded or was already confirmed."""


class ImportHasProblems(RosterError):
    pass


class PlanChanged(RosterError):
    """The school's data changed after the preview: the admin must look again."""


class ImportWriteFailed(RosterError):
    """Writing failed part-way; the transaction was rolled back, nothing was saved."""


@dataclass
class Preview:
    roster_import: RosterImport
    parsed: ParsedRoster
    plan: ImportPlan
    problems: list[Problem]
    imported_before: RosterImport | None

    @property
    def can_confirm(self) -> bool:
        return not self.problems and self.plan.has_changes


@dataclass
class Card:
    full_name: str
    class_name: str | None
    username: str
    password: str
    role_label: str | None = None  # an officer's card names their role, not a class


@dataclass
class CardGroups:
    classes: list[tuple[Classroom, int]] = field(default_factory=list)
    staff: int = 0
    used: int = 0  # accounts whose initial password is already changed: no card needed

    @property
    def total(self) -> int:
        return sum(n for _, n in self.classes) + self.staff


def upload_years(today: date) -> list[str]:
    """The school years an import may fill: this one, and the next (prepared in summer)."""
    current = school_year_for(today)
    start = int(current[:4]) + 1
    return [current, f"{start}-{start + 1}"]


def start_import(
    admin: User, school: School, school_year: str, file_name: str, data: bytes, now: datetime
) -> RosterImport:
    """Read and check the file; keep the parsed rows for the preview. Raises
    ``RosterFileError`` when the file as a whole cannot be used."""
    parsed = parse_roster(read_sheets(data), school.level, now.date())
    roster_import = RosterImport(
        school_id=school.id,
        uploaded_by_id=admin.id,
        school_year=school_year,
        file_name=(file_name or "")[-200:],
        file_sha256=hashlib.sha256(data).hexdigest(),
        payload=parsed.to_dict(),
        expires_at=now + timedelta(hours=PENDING_HOURS),
    )
    db.session.add(roster_import)
    db.session.commit()
    return roster_import


def may_open(user: User, roster_import: RosterImport) -> bool:
    """A pending import belongs to the admin who uploaded it; a confirmed one (and its login
    cards) to the admins of its school."""
    if user.role != Role.SCHOOL_ADMIN or user.school_id != roster_import.school_id:
        return False
    return roster_import.status == ImportStatus.APPLIED or roster_import.uploaded_by_id == user.id


def is_live(roster_import: RosterImport, now: datetime) -> bool:
    return roster_import.status == ImportStatus.PENDING and roster_import.expires_at > now


def preview(roster_import: RosterImport) -> Preview:
    parsed = ParsedRoster.from_dict(roster_import.payload)
    plan = plan_import(roster_import.school, roster_import.school_year, parsed.rows)
    problems = sorted(
        parsed.problems + plan.problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or "")
    )
    imported_before = db.session.scalar(
        sa.select(RosterImport)
        .where(
            RosterImport.school_id == roster_import.school_id,
            RosterImport.file_sha256 == roster_import.file_sha256,
            RosterImport.status == ImportStatus.APPLIED,
        )
        .order_by(RosterImport.applied_at.desc())
        .limit(1)
    )
    return Preview(roster_import, parsed, plan, problems, imported_before)


def confirm_import(roster_import: RosterImport, digest: str, now: datetime) -> RosterImport:
    """Write the plan in one transaction: every class, account, enrolment and homeroom
    assignment, or none of them. Claiming the import (pending → applied) is the first write
    of that transaction, so a double click or a second tab cannot apply it twice."""
    import_id = roster_import.id
    try:
        claimed = db.session.execute(
            sa.update(RosterImport)
            .where(
                RosterImport.id == import_id,
                RosterImport.status == ImportStatus.PENDING,
                RosterImport.expires_at > now,
            )
            .values(status=ImportStatus.APPLIED, applied_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise ImportGone
        result = preview(roster_import)
        if result.problems:
            raise ImportHasProblems
        if result.plan.digest() != digest:
            raise PlanChanged
        summary = _summary(result.plan)  # before writing, which makes every change moot
        kept = write_plan(result.plan, roster_import.school)
        roster_import.status = ImportStatus.APPLIED
        roster_import.applied_at = now
        roster_import.summary = summary
        roster_import.payload = None  # personal data the import no longer needs
        card_passwords.keep(roster_import, kept, now)
        db.session.commit()
    except RosterError:
        db.session.rollback()
        raise
    except Exception as exc:  # noqa: BLE001 - any failure must leave the database unchanged
        db.session.rollback()
        log.exception("Roster import %s failed and was rolled back", import_id)
        raise ImportWriteFailed from exc
    return roster_import


def _summary(plan: ImportPlan) -> dict:
    return {
        "classes_created": len(plan.new_classes),
        "students_created": plan.count(CREATE, students=True),
        "students_updated": plan.count(UPDATE, students=True),
        "staff_created": plan.count(CREATE, students=False),
        "staff_updated": plan.count(UPDATE, students=False),
        "homerooms": len(plan.homeroom_assignments),
    }


def card_groups(roster_import: RosterImport, now: datetime) -> CardGroups:
    """How many cards each class (and the staff) can still get from this import."""
    cards, used = _printable(roster_import, now)
    groups = CardGroups(staff=sum(1 for _, user in cards if user.role in STAFF_ROLES), used=used)
    classes = _classes_of(
        [user.id for _, user in cards if user.role == Role.STUDENT], roster_import
    )
    counts = Counter(classroom.id for classroom in classes.values())
    by_id = {c.id: c for c in classes.values()}
    groups.classes = sorted(
        ((by_id[cid], n) for cid, n in counts.items()), key=lambda x: (x[0].grade, x[0].name)
    )
    return groups


def class_cards(roster_import: RosterImport, classroom: Classroom, now: datetime) -> list[Card]:
    """The class's cards, in the order of the file (the school's own order)."""
    cards, _ = _printable(roster_import, now)
    classes = _classes_of(
        [user.id for _, user in cards if user.role == Role.STUDENT], roster_import
    )
    return [
        Card(user.full_name, classroom.name, user.username, kept.password)
        for kept, user in cards
        if user.id in classes and classes[user.id].id == classroom.id
    ]


def staff_cards(roster_import: RosterImport, now: datetime) -> list[Card]:
    cards, _ = _printable(roster_import, now)
    return [
        Card(user.full_name, None, user.username, kept.password)
        for kept, user in cards
        if user.role in STAFF_ROLES
    ]


def _printable(
    roster_import: RosterImport, now: datetime
) -> tuple[list[tuple[KeptPassword, User]], int]:
    """Kept passwords that are still the account's password, and how many are not."""
    kept = card_passwords.read(roster_import, now)
    users = {
        u.id: u
        for u in db.session.scalars(sa.select(User).where(User.id.in_([k.user_id for k in kept])))
    }
    cards = [
        (k, users[k.user_id])
        for k in kept
        if k.user_id in users and users[k.user_id].password_hash == k.password_hash
    ]
    return cards, len(kept) - len(cards)


def _classes_of(student_ids: list[int], roster_import: RosterImport) -> dict[int, Classroom]:
    """Each student's class in the import's school year (where they are now, if moved)."""
    rows = db.session.execute(
        sa.select(Enrollment.student_id, Classroom)
        .join(Classroom, Enrollment.classroom_id == Classroom.id)
        .where(
            Enrollment.student_id.in_(student_ids),
            Classroom.school_id == roster_import.school_id,
            Classroom.school_year == roster_import.school_year,
        )
    ).all()
    return {student_id: classroom for student_id, classroom in rows}


def forget_card_passwords(roster_import: RosterImport) -> None:
    card_passwords.forget(roster_import)
    db.session.commit()


def discard(roster_import: RosterImport) -> None:
    if roster_import.status == ImportStatus.PENDING:
        db.session.delete(roster_import)
        db.session.commit()


def purge_expired(now: datetime) -> None:
    """Drop pending uploads past their time and card passwords past theirs (cheap: two
    statements, run on every roster page and by ``flask roster purge``)."""
    db.session.execute(
        sa.delete(RosterImport).where(
            RosterImport.status == ImportStatus.PENDING, RosterImport.expires_at <= now
        )
    )
    db.session.execute(
        sa.update(RosterImport)
        .where(RosterImport.card_passwords_until <= now)
        .values(card_passwords=None, card_passwords_until=None)
    )
    db.session.commit()


def pending_imports(admin: User, now: datetime) -> list[RosterImport]:
    """The admin's own uploads still waiting in preview, to come back to."""
    return list(
        db.session.scalars(
            sa.select(RosterImport)
            .where(
                RosterImport.uploaded_by_id == admin.id,
                RosterImport.status == ImportStatus.PENDING,
                RosterImport.expires_at > now,
            )
            .order_by(RosterImport.created_at.desc())
        )
    )


def recent_imports(school: School) -> list[RosterImport]:
    return list(
        db.session.scalars(
            sa.select(RosterImport)
            .where(RosterImport.school_id == school.id, RosterImport.status == ImportStatus.APPLIED)
            .order_by(RosterImport.applied_at.desc())
            .limit(RECENT_IMPORTS)
        )
    )
