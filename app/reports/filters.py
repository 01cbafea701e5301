"""Template filters the report pages share (registered app-wide by the blueprint)."""

from __future__ import annotations

from datetime import datetime

from flask import g
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from app.models.base import utcnow
from app.reports import bp
from app.reports.tables import format_share, group_label, share_of
from app.reports.targets import Target


@bp.app_template_filter("share")
def share_filter(figure: dict) -> str:
    """A group figure's share: ``{{ figure|share }}`` → "87,5%"."""
    return format_share(share_of(figure["achieved"], figure["total"]))


@bp.app_template_filter("share_number")
def share_number_filter(figure: dict) -> float:
    return share_of(figure["achieved"], figure["total"]) or 0.0


@bp.app_template_filter("target")
def target_filter(data: dict | None) -> Target | None:
    return Target.from_json(data)


@bp.app_template_filter("group_label")
def group_label_filter(group: str) -> str:
    return group_label(group)


@bp.app_template_filter("local_time")
def local_time_filter(moment: datetime | str | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_datetime(moment, "HH:mm dd/MM/yyyy")


@bp.app_template_filter("days_ago")
def days_ago_filter(moment: datetime | None) -> str:
    """ "hôm nay", "3 ngày trước", or "chưa có" for never; each text translated once per
    request (a class list asks for forty of them)."""
    days = None if moment is None else max(0, (utcnow() - moment).days)
    cache = g.setdefault("_days_ago", {})
    if days not in cache:
        if days is None:
            cache[days] = _("chưa có")
        elif days == 0:
            cache[days] = _("hôm nay")
        else:
            cache[days] = ngettext("%(num)d ngày trước", "%(num)d ngày trước", days)
    return cache[days]
