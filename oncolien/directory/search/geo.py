"""Distances on the Earth from latitude/longitude, and the box that pre-filters them.

A radius search first keeps the points inside a latitude/longitude box (cheap,
indexed), then measures each one exactly with the haversine formula, in Python,
so that both databases return the same services at the same distances.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180
# Points are grouped in bands of latitude this many per degree (0.1° ≈ 11 km):
# an index on (band, longitude) answers a box with one short range per band.
BANDS_PER_DEGREE = 10


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def latitude_band(latitude: float) -> int:
    return math.floor(latitude * BANDS_PER_DEGREE)


@dataclass(frozen=True)
class Box:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    @property
    def bands(self) -> list[int]:
        return list(range(latitude_band(self.min_latitude), latitude_band(self.max_latitude) + 1))


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Box:
    """A box holding every point within `radius_km` of the centre (a little more, never less)."""
    # A small margin keeps points at the edge from being lost to rounding.
    radius_km = radius_km * 1.001 + 0.01
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    # The box is widest in longitude at the latitude nearest the pole.
    extreme = min(89.0, abs(latitude) + dlat)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(extreme)))))
    return Box(latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon)
