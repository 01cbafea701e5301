"""How certificates are written for people: Vietnamese dates, masked names, and what the
public verification page may reveal.

Masking rule (docs/certificates.md): the family name (the first word) is shown whole;
every other word shows its first letter and two asterisks, whatever its length —
"Nguyễn Thị Minh Khai" → "Nguyễn T** M** K**". The person holding the paper can tell
it is theirs; a stranger learns a very common family name and initials, not the name.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.certificates.codes import format_code
from app.dates import local_date
from app.models import Certificate, CertificateKind


def _day(moment: datetime | date | str) -> date:
    """A stored UTC timestamp, a calendar day, or an ISO day ("2025-11-05")."""
    if isinstance(moment, str):
        return date.fromisoformat(moment)
    return local_date(moment) if isinstance(moment, datetime) else moment


def vietnamese_date(moment: datetime | date | str) -> str:
    """As on an official paper: "ngày 5 tháng 11 năm 2025"."""
    day = _day(moment)
    return _("ngày %(d)d tháng %(m)d năm %(y)d", d=day.day, m=day.month, y=day.year)


def short_date(moment: datetime | date | str) -> str:
    day = _day(moment)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _first_letter(word: str) -> str:
    """The first letter with its diacritics (a base letter plus combining marks)."""
    letter = word[0]
    for char in word[1:]:
        if not unicodedata.combining(char):
            break
        letter += char
    return letter


def mask_name(full_name: str) -> str:
    words = unicodedata.normalize("NFC", full_name).split()
    if not words:
        return ""
    if len(words) == 1:
        return _first_letter(words[0]) + "**"
    return " ".join([words[0], *(_first_letter(word) + "**" for word in words[1:])])


KIND_LABELS = {
    CertificateKind.TASK: _l("Kỹ năng số thiết yếu"),
    CertificateKind.COMBINED: _l("Tổng hợp kỹ năng số thiết yếu"),
    CertificateKind.PATH: _l("Hoàn thành lộ trình học"),
    CertificateKind.DOMAIN: _l("Đạt trọn một lĩnh vực năng lực số"),
}


def kind_label(kind: CertificateKind) -> str:
    return str(KIND_LABELS[kind])


def competence_rows(certificate: Certificate) -> list[dict]:
    names = certificate.details.get("competence_names", {})
    return [{"code": code, "name": names.get(code, "")} for code in certificate.competences]


def status_of(certificate: Certificate | None) -> str:
    if certificate is None:
        return "unknown"
    return "revoked" if certificate.is_revoked else "valid"


def public_view(certificate: Certificate) -> dict:
    """Everything the public verification page and its JSON show, and nothing more.

    No full name, birth year, phone, class, guiding pupil or confirming teacher: only what
    was achieved, by whom (masked), where and when, and whether it still stands. The
    revocation reason stays private (it may be about a family); its date is public.
    """
    issued = local_date(certificate.issued_at)
    view = {
        "status": status_of(certificate),
        "code": format_code(certificate.code),
        "kind": certificate.kind.value,
        "kind_label": kind_label(certificate.kind),
        "holder": mask_name(certificate.holder_name),
        "achievement": certificate.achievement_title,
        "competences": competence_rows(certificate),
        "level": {
            "code": certificate.level,
            "name": certificate.details.get("level_label", certificate.level),
        },
        "school": certificate.school_name,
        "issued_on": issued.isoformat(),
        "revoked_on": local_date(certificate.revoked_at).isoformat()
        if certificate.revoked_at
        else None,
        "superseded_on": local_date(certificate.superseded_at).isoformat()
        if certificate.superseded_at
        else None,
    }
    if certificate.kind == CertificateKind.COMBINED:
        view["tasks"] = [part["title"] for part in certificate.details.get("parts", [])]
    return view


def unknown_view(code: str | None, well_formed: bool) -> dict:
    return {"status": "unknown", "code": code, "well_formed": well_formed}
