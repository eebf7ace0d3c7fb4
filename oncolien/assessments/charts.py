"""The chart of a scale over time on the pathway page, drawn by the app's one chart
library (`web.charts`, server-side SVG with the table of its values)."""

from datetime import datetime

from django.utils import timezone

from oncolien.web import charts


def _day(at: datetime) -> str:
    # An aware time is shown as the Paris day it fell on, not the UTC one.
    return f"{timezone.localtime(at) if timezone.is_aware(at) else at:%d/%m/%Y}"


def scale_chart(points: list, *, label: str, maximum: float | None = None) -> charts.Chart:
    """A line of a scale's values (oldest first), from 0 to its maximum when known."""
    return charts.line(
        label,
        [_day(at) for at, _ in points],
        {"Score": [value for _, value in points]},
        maximum=maximum,
        width=480,
        height=220,
    )
