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

RADII_KM = (20, 30, 45)


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


@dataclass
class GapReport:
    cpts: Cpts
    commune_count: int
    population: int
    care_types: list[CareTypeGaps]
    radii: tuple[int, ...] = RADII_KM


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
            if nearest is None or nearest > RADII_KM[0]:
                gaps.communes.append(CommuneGap(name, insee_code, population, nearest))
        for radius in RADII_KM:
            beyond = [c for c in gaps.communes if c.nearest_km is None or c.nearest_km > radius]
            gaps.beyond[radius] = (len(beyond), sum(c.population for c in beyond))
        gaps.communes.sort(key=lambda c: (c.nearest_km is not None, -(c.nearest_km or 0), c.name))
        report.care_types.append(gaps)
    return report
