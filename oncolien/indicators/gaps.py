"""Where a CPTS's offer falls short: for each care type, the communes of the CPTS
with no active service of that type within 20, 30 or 45 km, and their population.

Distances are straight lines from the commune's centroid to the nearest place
of an active service (its locations, and the centroids of the communes a home
service covers), as the directory search measures them (haversine): road
distances are not available, and a straight 20 km is often 30 by road in the
Aveyron. Services of other CPTS count: a patient crosses the boundary.
"""

from dataclasses import dataclass, field

from oncolien.directory.search import geo, tags
from oncolien.directory.search.models import SearchPoint
from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts
from oncolien.territories.svg_map import CentroidMap, centroid_map

RADII_KM = (20, 30, 45)
# The bands a commune falls in, by the distance to the nearest offer: what the map
# colours and its legend names (the last band: none within the largest radius).
BANDS = (
    ("offre à moins de 20 km", "#d9ead3"),
    ("offre la plus proche entre 20 et 30 km", "#f6c26b"),
    ("offre la plus proche entre 30 et 45 km", "#e06c00"),
    ("aucune offre à moins de 45 km", "#7a1f1f"),
)


def band_of(nearest_km: float | None) -> int:
    if nearest_km is None:
        return len(RADII_KM)
    return next((i for i, radius in enumerate(RADII_KM) if nearest_km <= radius), len(RADII_KM))


@dataclass(frozen=True)
class MapDot:
    x: float
    y: float
    radius: float
    label: str
    colour: str


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    communes: int


@dataclass(frozen=True)
class CommuneGap:
    name: str
    insee_code: str
    population: int
    nearest_km: float | None  # None: no such service within the largest radius


@dataclass
class CareTypeGaps:
    care_type: CareType
    # The communes farther than the smallest radius, the farthest first.
    communes: list[CommuneGap] = field(default_factory=list)
    # Per radius: (communes beyond it, their population).
    beyond: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Every commune's band (index in BANDS), by INSEE code: what the map colours.
    bands: dict[str, int] = field(default_factory=dict)
    # The CPTS's map with each commune coloured by its band, and its legend.
    dots: list[MapDot] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)


@dataclass
class GapReport:
    cpts: Cpts
    commune_count: int
    population: int
    care_types: list[CareTypeGaps]
    radii: tuple[int, ...] = RADII_KM
    map: CentroidMap | None = None


def offer_gaps(cpts: Cpts) -> GapReport:
    communes = list(
        cpts.communes.order_by("name").values_list(
            "name", "insee_code", "population", "latitude", "longitude"
        )
    )
    care_types = list(CareType.objects.filter(active=True).order_by("position", "code"))
    farthest = max(RADII_KM)
    points: list[tuple[float, float, str]] = []
    if communes:
        # Only the places that can be within the largest radius of one of the communes:
        # the communes' extent, widened by that radius (in longitude, at the latitude
        # farthest from the equator, where a degree is shortest).
        latitudes, longitudes = [c[3] for c in communes], [c[4] for c in communes]
        extreme = max(latitudes, key=abs)
        margin = geo.bounding_box(extreme, 0.0, farthest)
        dlat, dlon = margin.max_latitude - extreme, margin.max_longitude
        points = list(
            SearchPoint.objects.filter(
                latitude__gte=min(latitudes) - dlat,
                latitude__lte=max(latitudes) + dlat,
                longitude__gte=min(longitudes) - dlon,
                longitude__lte=max(longitudes) + dlon,
            ).values_list("latitude", "longitude", "tags")
        )
    report = GapReport(
        cpts=cpts,
        commune_count=len(communes),
        population=sum(c[2] for c in communes),
        care_types=[],
        map=centroid_map(communes=cpts.communes.all()),
    )
    for care_type in care_types:
        tag = tags.care_type(care_type.pk)
        places = [(lat, lon) for lat, lon, point_tags in points if tag in point_tags.split()]
        gaps = CareTypeGaps(care_type)
        for name, insee_code, population, latitude, longitude in communes:
            nearest = min(
                (geo.haversine_km(latitude, longitude, lat, lon) for lat, lon in places),
                default=None,
            )
            if nearest is not None and nearest > farthest:
                nearest = None
            gaps.bands[insee_code] = band_of(nearest)
            if nearest is None or nearest > RADII_KM[0]:
                gaps.communes.append(CommuneGap(name, insee_code, population, nearest))
        for radius in RADII_KM:
            beyond = [c for c in gaps.communes if c.nearest_km is None or c.nearest_km > radius]
            gaps.beyond[radius] = (len(beyond), sum(c.population for c in beyond))
        gaps.communes.sort(key=lambda c: (c.nearest_km is not None, -(c.nearest_km or 0), c.name))
        _draw(gaps, report.map)
        report.care_types.append(gaps)
    return report


def _draw(gaps: CareTypeGaps, drawn: CentroidMap | None) -> None:
    """The map's points coloured by band, each titled with its commune and band."""
    if drawn is None:
        return
    for point in drawn.points:
        band = gaps.bands[point.insee_code]
        label, colour = BANDS[band]
        gaps.dots.append(MapDot(point.x, point.y, point.radius, f"{point.label} : {label}", colour))
    counts = [0] * len(BANDS)
    for band in gaps.bands.values():
        counts[band] += 1
    gaps.legend = [
        LegendEntry(label, colour, count)
        for (label, colour), count in zip(BANDS, counts, strict=True)
    ]
