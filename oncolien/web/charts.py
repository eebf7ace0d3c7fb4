"""The app's one chart library: pygal, rendering SVG on the server.

The same SVG goes into pages and into PDFs (WeasyPrint draws inline SVG), with no
script (`js=[]`: nothing to load, nothing for the Content-Security-Policy to allow).
Every chart comes with the table of its values: the SVG is marked as one image
whose label says that the table beside it holds the figures, and the template
`web/_chart.html` shows both (screen readers read the table).
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# The app's plum and its darker and lighter tones, then neutral greys: each passes
# 3:1 against white for shapes (WCAG 1.4.11), the text is near-black.
COLOURS = ("#7a1f5c", "#1f5c7a", "#5c7a1f", "#a65c00", "#4a4a4a", "#b0487f")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#6b6b6b",
    colors=COLOURS,
    font_family="Marianne, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    title_font_size=15,
    legend_font_size=12,
    guide_stroke_color="#cfcfcf",
    major_guide_stroke_color="#b0b0b0",
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    opacity=".9",
    opacity_hover=".9",
)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_STAMP = re.compile(r"<!--Generated with pygal.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Chart:
    """A chart's SVG and the table of the same values (caption, header, rows)."""

    title: str
    svg: SafeString
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def _options(title: str, width: int, height: int) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": width,
        "height": height,
        # The title is the figure's caption (web/_chart.html), not drawn twice.
        "title": None,
        "explicit_size": False,
        "print_values": False,
        "no_data_text": "Aucune donnée",
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        # Room for the last label of the x axis, which pygal centres on the edge.
        "margin_right": 36,
    }


def _as_image(chart: pygal.graph.base.BaseGraph, title: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    # pygal writes its configuration as a <script> even without its scripts, and
    # stamps the render date in a comment: both go. Its random id (which scopes its
    # CSS) becomes a digest of the chart, so the same figures give the same SVG.
    svg = _SCRIPT.sub("", svg)
    svg = _STAMP.sub("", svg)
    random_id = chart.uuid
    digest = hashlib.sha256(svg.replace(random_id, "").encode()).hexdigest()[:16]
    svg = svg.replace(random_id, digest)
    label = escape(f"Graphique : {title}. Les valeurs sont dans le tableau qui suit.")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return mark_safe(svg)  # noqa: S308 — pygal's own markup, every text escaped by it


def bars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    horizontal: bool = False,
    unit: str = "",
    width: int = 640,
    height: int = 320,
) -> Chart:
    """Bars of one or several series over the same labels (care types, months…)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        **_options(title, width, height),
        show_legend=len(series) > 1,
        legend_at_bottom=True,
    )
    chart.x_labels = list(labels)
    # All zero or missing: nothing added, so that pygal says « Aucune donnée » instead
    # of drawing empty axes (the table beside still gives the zeros).
    if any(any(values) for values in series.values()):
        for name, values in series.items():
            chart.add(name, list(values))
    if unit:
        chart.y_title = unit
    header = ["", *series]
    rows = [
        [label, *(_number(values[index]) for values in series.values())]
        for index, label in enumerate(labels)
    ]
    return Chart(title, _as_image(chart, title), header, rows)


def line(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    maximum: float | None = None,
    width: int = 640,
    height: int = 280,
) -> Chart:
    """A line per series over ordered labels (dates, periods)."""
    options = _options(title, width, height)
    if maximum is not None:
        options["range"] = (0, maximum)
    chart = pygal.Line(**options, show_legend=len(series) > 1, legend_at_bottom=True)
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    header = ["", *series]
    rows = [
        [label, *(_number(values[index]) for values in series.values())]
        for index, label in enumerate(labels)
    ]
    return Chart(title, _as_image(chart, title), header, rows)


def radar(
    title: str,
    axes: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    maximum: float,
    width: int = 480,
    height: int = 420,
) -> Chart:
    """One polygon per series on the same axes, each axis from 0 to `maximum`.

    An axis left unrated (None) is drawn at the centre and shown « non évalué » in
    the table: a missing rating is never drawn as a low one without saying so.
    """
    chart = pygal.Radar(
        **_options(title, width, height),
        range=(0, maximum),
        fill=True,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
    )
    chart.x_labels = list(axes)
    for name, values in series.items():
        chart.add(name, [0 if value is None else value for value in values])
    header = ["Axe", *series]
    rows = [
        [
            axis,
            *(
                "non évalué"
                if values[index] is None
                else f"{_number(values[index])} sur {maximum:g}"
                for values in series.values()
            ),
        ]
        for index, axis in enumerate(axes)
    ]
    return Chart(title, _as_image(chart, title), header, rows)
