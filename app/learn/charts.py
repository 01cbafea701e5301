"""The geometry of the "Tiến độ của tôi" bar chart, drawn as SVG by the template.

Rendered on the server so it shows on any phone, with JavaScript off, and prints. The
numbers are also written next to each bar and listed under the chart, so nobody has to
read a length to know where they stand. Labels are wrapped here, since SVG text does not
wrap, at a size that stays readable when a 360 px phone shrinks the chart to fit.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from app.learn.services import DomainProgress

WIDTH = 320  # viewBox units; the SVG scales to its container
TRACK_WIDTH = 250
FONT_SIZE = 20
LINE_HEIGHT = 24
LABEL_CHARACTERS = 33  # per line at FONT_SIZE within WIDTH (about 0.46 em a character)
BAR_HEIGHT = 26
ROW_GAP = 14


@dataclass(frozen=True)
class Bar:
    lines: list[str]  # the label, wrapped
    achieved: int
    expected: int
    y: int  # top of the row
    width: float  # of the filled part

    def line_y(self, index: int) -> int:
        return self.y + (index + 1) * LINE_HEIGHT - 5

    @property
    def bar_y(self) -> int:
        return self.y + len(self.lines) * LINE_HEIGHT + 2

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 5

    @property
    def height(self) -> int:
        return len(self.lines) * LINE_HEIGHT + 2 + BAR_HEIGHT + ROW_GAP


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    track_width: int = TRACK_WIDTH
    bar_height: int = BAR_HEIGHT
    font_size: int = FONT_SIZE

    @property
    def value_x(self) -> int:
        return self.track_width + 8


def domain_chart(domains: list[DomainProgress]) -> BarChart:
    """One bar per domain: competences achieved out of those expected at the level."""
    bars, y = [], 0
    for d in domains:
        bar = Bar(
            lines=textwrap.wrap(f"{d.domain.code}. {d.domain.name_vi}", LABEL_CHARACTERS),
            achieved=len(d.achieved),
            expected=len(d.expected),
            y=y,
            width=round(TRACK_WIDTH * d.ratio, 1),
        )
        bars.append(bar)
        y += bar.height
    return BarChart(bars, height=max(y - ROW_GAP + 2, 1))
