"""A small scatter "map" of commune centroids, drawn as inline SVG.

No tiles and no external service: the centroids are projected with an
equirectangular projection (longitude scaled by the cosine of the mean
latitude), which is faithful enough at the scale of a CPTS.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Commune

WIDTH = 480
MARGIN = 16
MIN_RADIUS = 2.5
MAX_RADIUS = 11.0


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    radius: float
    label: str
    insee_code: str = ""


@dataclass(frozen=True)
class CentroidMap:
    width: int
    height: int
    points: tuple[MapPoint, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def centroid_map(*, communes: Iterable[Commune], width: int = WIDTH) -> CentroidMap | None:
    """Points sized by population (area proportional); None when there is no commune."""
    communes = list(communes)
    if not communes:
        return None
    mean_latitude = math.radians(sum(c.latitude for c in communes) / len(communes))
    xs = [c.longitude * math.cos(mean_latitude) for c in communes]
    ys = [c.latitude for c in communes]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (width - 2 * MARGIN) / span
    height = round((max(ys) - min(ys)) * scale) + 2 * MARGIN
    largest = max(c.population for c in communes) or 1
    points = tuple(
        MapPoint(
            x=round(MARGIN + (x - min(xs)) * scale, 1),
            # SVG's y axis points down, latitude up.
            y=round(MARGIN + (max(ys) - y) * scale, 1),
            radius=round(
                MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(c.population / largest), 1
            ),
            label=f"{c.name} ({c.insee_code})",
            insee_code=c.insee_code,
        )
        # Largest first, so that small communes are drawn on top and stay visible.
        for c, x, y in sorted(zip(communes, xs, ys, strict=True), key=lambda t: -t[0].population)
    )
    return CentroidMap(width=width, height=height, points=points)
