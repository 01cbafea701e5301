"""Registering the relatives a student helps, and recognising one person registered twice.

A grandmother registered by two siblings must be one ``Relative`` (so she is counted
once), but the match is never silent: ``find_matches`` shows the student who is already
registered and the student confirms "same person" or "someone else". Matching is by
normalised name (case, diacritics and spacing ignored) and birth year within the same
school, plus the phone number when both registrations give one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.guided.exceptions import RelativeError
from app.guided.states import CREDITED_REVIEWS
from app.models import (
    Classroom,
    Enrollment,
    GuidedSession,
    Relative,
    RelativeLink,
    ReviewStatus,
    SessionStatus,
    User,
)

# What the student is to the relative's family, as the student says it. The stored value
# is the Vietnamese word; the label goes through the translation catalog.
RELATIONS: dict[str, object] = {
    "bà nội": _l("bà nội"),
    "ông nội": _l("ông nội"),
    "bà ngoại": _l("bà ngoại"),
    "ông ngoại": _l("ông ngoại"),
    "bố": _l("bố"),
    "mẹ": _l("mẹ"),
    "bác": _l("bác"),
    "chú": _l("chú"),
    "cô": _l("cô"),
    "dì": _l("dì"),
    "cậu": _l("cậu"),
    "thím": _l("thím"),
    "mợ": _l("mợ"),
    "anh": _l("anh"),
    "chị": _l("chị"),
    "người thân khác": _l("người thân khác"),
}

ERASED_MESSAGE = _l(
    "Người thân này đã rút lại đồng ý nên thông tin đã được xoá. Không thể hướng dẫn hay sửa nữa."
)

EARLIEST_BIRTH_YEAR = 1920
MIN_AGE = 15  # an older brother or sister can be helped too, a small child cannot consent

MOBILE = re.compile(r"^0[35789]\d{8}$")
LANDLINE = re.compile(r"^02\d{9}$")


def latest_birth_year(today: date | None = None) -> int:
    return (today or date.today()).year - MIN_AGE


def clean_name(name: str) -> str:
    """The name as typed, with runs of spaces collapsed and Unicode composed (NFC)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """'  Nguyễn  Thị LAN ' and 'nguyen thi lan' give the same key: how people retype."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().split())


def normalise_phone(raw: str) -> str:
    """A Vietnamese number as 0xxxxxxxxx; accepts +84/84, spaces, dots and dashes.

    Raises ValueError for anything that is not a mobile (03, 05, 07, 08, 09 + 8 digits)
    or a landline (02 + 9 digits).
    """
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isdigit() or not (MOBILE.match(digits) or LANDLINE.match(digits)):
        raise ValueError(raw)
    return digits


def masked_phone(phone: str | None) -> str:
    """Enough to recognise one's own grandmother's number, not enough to call it."""
    return f"••••••{phone[-3:]}" if phone else ""


@dataclass(frozen=True)
class RelativeInput:
    full_name: str
    birth_year: int
    phone: str | None  # normalised, or None
    relation: str  # a key of RELATIONS
    consent_on: date
    parent_informed_on: date


def student_links(student: User) -> list[RelativeLink]:
    """The student's own registrations, each with its relative, newest first."""
    return list(
        db.session.scalars(
            sa.select(RelativeLink)
            .options(joinedload(RelativeLink.relative))
            .where(RelativeLink.student_id == student.id)
            .order_by(RelativeLink.created_at.desc(), RelativeLink.id.desc())
        )
    )


def student_link(student: User, relative_id: int) -> RelativeLink | None:
    """The student's registration of this relative, or None: students see only their own."""
    return db.session.scalar(
        sa.select(RelativeLink)
        .options(joinedload(RelativeLink.relative))
        .where(RelativeLink.student_id == student.id, RelativeLink.relative_id == relative_id)
    )


def find_matches(student: User, data: RelativeInput) -> list[Relative]:
    """Relatives of the student's school who look like the one being registered.

    Each call is a match attempt: the view rate-limits them per student and logs them.
    """
    if student.school_id is None:
        return []
    candidates = db.session.scalars(
        sa.select(Relative)
        .where(Relative.school_id == student.school_id, Relative.birth_year == data.birth_year)
        .order_by(Relative.id)
    )
    key = name_key(data.full_name)
    return [
        relative
        for relative in candidates
        if name_key(relative.full_name) == key
        and (relative.phone is None or data.phone is None or relative.phone == data.phone)
    ]


def register_relative(student: User, data: RelativeInput) -> RelativeLink:
    """Register a new relative. Joining one already registered is a request instead
    (``link_requests.request_link``), which the family approves."""
    if student.school_id is None:
        raise RelativeError(_l("Tài khoản của em chưa thuộc trường nào: hãy báo thầy cô."))
    relative = Relative(
        school_id=student.school_id,
        full_name=clean_name(data.full_name),
        birth_year=data.birth_year,
        phone=data.phone,
    )
    db.session.add(relative)
    link = RelativeLink(
        student_id=student.id,
        relative=relative,
        relation=data.relation,
        consent_on=data.consent_on,
        parent_informed_on=data.parent_informed_on,
    )
    db.session.add(link)
    db.session.commit()
    return link


def update_relative(link: RelativeLink, data: RelativeInput) -> None:
    """Correct a registration. The person's details are shared with any sibling's link.

    An erased relative stays erased: nobody types her details back in."""
    relative = link.relative
    if relative.erased_at is not None:
        raise RelativeError(ERASED_MESSAGE)
    relative.full_name = clean_name(data.full_name)
    relative.birth_year = data.birth_year
    relative.phone = data.phone
    link.relation = data.relation
    link.consent_on = data.consent_on
    link.parent_informed_on = data.parent_informed_on
    db.session.commit()


def other_students_count(relative_ids: list[int], student: User) -> dict[int, int]:
    """How many other students registered each relative (never who they are)."""
    if not relative_ids:
        return {}
    rows = db.session.execute(
        sa.select(RelativeLink.relative_id, sa.func.count())
        .where(RelativeLink.relative_id.in_(relative_ids), RelativeLink.student_id != student.id)
        .group_by(RelativeLink.relative_id)
    )
    return {key: count for key, count in rows}


@dataclass(frozen=True)
class Achievement:
    """A task a relative has passed in a guided session, confirmed or awaiting review."""

    walkthrough_id: str
    session_id: int
    student_id: int  # who guided the relative through it
    confirmed: bool


def achievements_by_relative(relative_ids: list[int]) -> dict[int, list[Achievement]]:
    """What each relative can now do: one entry per walkthrough, confirmed ones first.

    One query for any number of relatives. A task passed twice shows once, as confirmed
    if either session was confirmed.
    """
    result: dict[int, list[Achievement]] = defaultdict(list)
    if not relative_ids:
        return result
    rows = db.session.execute(
        sa.select(
            GuidedSession.relative_id,
            GuidedSession.walkthrough_id,
            GuidedSession.id,
            GuidedSession.student_id,
            GuidedSession.review_status,
        )
        .where(
            GuidedSession.relative_id.in_(relative_ids),
            GuidedSession.status == SessionStatus.PASSED,
            GuidedSession.review_status.in_(CREDITED_REVIEWS),
        )
        .order_by(GuidedSession.finished_at, GuidedSession.id)
    )
    best: dict[tuple[int, str], Achievement] = {}
    for relative_id, walkthrough_id, session_id, student_id, review in rows:
        confirmed = review == ReviewStatus.CONFIRMED
        key = (relative_id, walkthrough_id)
        if key not in best or (confirmed and not best[key].confirmed):
            best[key] = Achievement(walkthrough_id, session_id, student_id, confirmed)
    for (relative_id, _), achievement in best.items():
        result[relative_id].append(achievement)
    for achievements in result.values():
        achievements.sort(key=lambda a: not a.confirmed)
    return result


@dataclass(frozen=True)
class ClassRelativeRow:
    student: User
    link: RelativeLink
    achievements: list[Achievement]


def class_relatives(classroom: Classroom) -> list[ClassRelativeRow]:
    """The relatives registered by the students of one class (three queries in all).

    Only the links of this class's students are listed: a grandmother also helped by a
    sibling in another class shows here with this class's student only.
    """
    links = list(
        db.session.scalars(
            sa.select(RelativeLink)
            .join(Enrollment, Enrollment.student_id == RelativeLink.student_id)
            .join(User, User.id == RelativeLink.student_id)
            .options(joinedload(RelativeLink.relative), joinedload(RelativeLink.student))
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(User.full_name, RelativeLink.id)
        )
    )
    achievements = achievements_by_relative([link.relative_id for link in links])
    return [
        ClassRelativeRow(link.student, link, achievements.get(link.relative_id, []))
        for link in links
    ]
