"""Line charts drawn on the server as SVG: no JavaScript, no chart library, and the page
stays light on a cheap phone. Colours come from classes in reports.css (the CSP forbids
``style=``); every chart carries a title and a text description for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 22, 30
MAX_LABELS = 5
CLOSE_TARGETS = 0.1  # target lines closer than this share get their labels apart


@dataclass(frozen=True)
class TargetLine:
    label: str  # "Chỉ tiêu phường ≥ 80%"
    share: float  # 0–1
    css_class: str  # "target-ward" or "target-school"


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def _y(share: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(1.0, share)))


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    values: list[float | None],
    targets: list[TargetLine],
) -> Markup:
    """A 0–100% line over the labels (weeks), with dashed target lines.

    Points without a value (nobody counted that week) leave a gap in the line.
    """
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for percent in (0, 25, 50, 75, 100):
        y = _y(percent / 100)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{percent}%</text>"
        )
    previous: float | None = None
    for target in sorted(targets, key=lambda t: -t.share):
        y = _y(target.share)
        parts.append(
            f'<line class="chart-target {target.css_class}" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke-dasharray="6 4"/>'
        )
        # a label above its line, or below it when the line above is too close
        below = previous is not None and previous - target.share < CLOSE_TARGETS
        parts.append(
            f'<text class="chart-target-label {target.css_class}" x="{WIDTH - RIGHT}" '
            f'y="{y + 13 if below else y - 5:.1f}" text-anchor="end">{escape(target.label)}</text>'
        )
        previous = target.share
    count = len(labels)
    step = max(1, -(-count // MAX_LABELS))
    for index, label in enumerate(labels):
        if index % step == 0 or index == count - 1:
            parts.append(
                f'<text class="chart-axis" x="{_x(index, count):.1f}" y="{HEIGHT - 10}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_x(index, count):.1f},{_y(value):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        if len(points) > 1:
            parts.append(f'<polyline class="chart-line" fill="none" points="{" ".join(points)}"/>')
        for point in points:
            x, y = point.split(",")
            parts.append(f'<circle class="chart-point" cx="{x}" cy="{y}" r="4"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
