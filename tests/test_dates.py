"""Vietnam's calendar: "today" follows Asia/Ho_Chi_Minh, not UTC."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import dates


@pytest.mark.parametrize(
    ("utc", "vietnam_day"),
    [
        (datetime(2026, 12, 3, 17, 30), date(2026, 12, 4)),  # 00:30 on the 4th in Vietnam
        (datetime(2026, 12, 4, 16, 30), date(2026, 12, 4)),  # 23:30 on the 4th in Vietnam
    ],
)
def test_today_is_vietnams_date(app, monkeypatch, utc, vietnam_day):
    monkeypatch.setattr(dates, "utcnow", lambda: utc)
    with app.app_context():
        assert dates.today() == vietnam_day


def test_a_vietnam_day_starts_at_17_utc_the_day_before(app):
    with app.app_context():
        start, end = dates.day_range_utc(date(2026, 12, 4), date(2026, 12, 4))
    assert start == datetime(2026, 12, 3, 17, 0)
    assert end == datetime(2026, 12, 4, 17, 0)
    assert dates.local_date(datetime(2026, 12, 3, 16, 59)) == date(2026, 12, 3)
    assert dates.local_date(datetime(2026, 12, 3, 17, 0)) == date(2026, 12, 4)
