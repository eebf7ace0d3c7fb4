"""A small inline SVG line chart of a scale over time (no script, prints as is)."""

from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD = 240, 60, 6


def _day(at: datetime) -> str:
    # An aware time is shown as the Paris day it fell on, not the UTC one.
    return f"{timezone.localtime(at) if timezone.is_aware(at) else at:%d/%m/%Y}"


def line_chart(points: list, *, label: str, maximum: float | None = None) -> str:
    """SVG of values (oldest first) scaled to 0..maximum, with a text alternative."""
    values = [value for _, value in points]
    top = maximum or max(max(values), 1)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    coords = [
        (PAD + i * step, HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD))
        for i, value in enumerate(values)
    ]
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3"><title>{}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", f"{_day(at)} : {value}")
            for (x, y), (at, value) in zip(coords, points, strict=True)
        ),
    )
    summary = " ; ".join(f"{_day(at)} : {value}" for at, value in points)
    return format_html(
        '<svg class="scale-chart" role="img" width="{}" height="{}" viewBox="0 0 {} {}" '
        'aria-label="{}"><polyline fill="none" stroke="currentColor" stroke-width="2" '
        'points="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        f"{label} — {summary}",
        polyline,
        dots,
    )
