"""The city officer's figures: every ward of the province, each with its schools.

Counts only, never a person. Each ward's figures are exactly those its own ward officer
sees (the same report function), so the city page and a ward page can never disagree.
``ward_figures`` is the one place that calls the report code: when the figures move to
another module, this is the line to change.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Province, Ward
from app.reports.services import current_school_year, live_ward_report


def ward_figures(ward: Ward, now: datetime | None = None) -> dict:
    """One ward's report: its schools' figures and the ward total, against targets."""
    return live_ward_report(ward, now)


def province_report(province: Province, now: datetime | None = None) -> dict:
    wards = list(
        db.session.scalars(
            sa.select(Ward).where(Ward.province_id == province.id).order_by(Ward.name)
        )
    )
    reports = [ward_figures(ward, now) for ward in wards]
    generated = reports[0]["generated_at"] if reports else None
    return {
        "kind": "province",
        "province": {"id": province.id, "name": province.name},
        "school_year": reports[0]["school_year"] if reports else current_school_year(now),
        "generated_at": generated,
        "wards": reports,
    }
