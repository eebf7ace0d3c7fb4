"""Search index maintenance: the document and places of each active service.

`refresh(service_ids)` is called by every write in directory.services, inside the
same transaction, so that the index never lags behind the directory.
`rebuild_all()` rebuilds every document (``manage.py rebuild_search_index``),
needed after a change of care-type or profession names in the reference data.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from oncolien.directory.models import Cost, Service, ServiceAtLocation, ServiceStatus

from . import backend, geo, ranks, tags, text
from .models import SearchDocument, SearchPoint, SearchTerm

# Services rebuilt per round trip: under SQLite's limit of query parameters.
CHUNK = 500
FREE_COSTS = (Cost.FREE, Cost.ASSOCIATION_FUNDED)


@dataclass
class Entry:
    """What the index holds for one service."""

    document: SearchDocument
    points: list[SearchPoint]


@dataclass
class Facts:
    """What the index reads of a service: its own fields and the names around it."""

    service: dict
    care_types: list[tuple[int, str]] = field(default_factory=list)  # (pk, name)
    professions: list[tuple[int, str]] = field(default_factory=list)
    labels: list[tuple[int, str]] = field(default_factory=list)
    # (commune pk, commune name, latitude, longitude) of each location, then of
    # each commune served at home.
    places: list[tuple[int, str, float, float]] = field(default_factory=list)


SERVICE_FIELDS = (
    "pk",
    "name",
    "description",
    "status",
    "cost",
    "for_patients",
    "for_relatives",
    "phase_diagnosis",
    "phase_treatment",
    "phase_after_treatment",
    "is_home_service",
    "organization__name",
    "organization__cpts_id",
)


def load_facts(ids: list[int]) -> list[Facts]:
    """The facts of these services, in six queries of plain values (no model instances:
    rebuilding the index of 100,000 services must not take minutes)."""
    facts = {
        row["pk"]: Facts(row)
        for row in Service.objects.filter(pk__in=ids).order_by("pk").values(*SERVICE_FIELDS)
    }
    links = (
        (Service.care_types.through, "caretype", "care_types"),
        (Service.professions.through, "profession", "professions"),
        (Service.labels.through, "label", "labels"),
    )
    for model, target, attribute in links:
        rows = (
            model.objects.filter(service_id__in=ids)
            .order_by(f"{target}__name", f"{target}_id")
            .values_list("service_id", f"{target}_id", f"{target}__name")
        )
        for service_id, pk, name in rows:
            getattr(facts[service_id], attribute).append((pk, name))
    located = (
        ServiceAtLocation.objects.filter(service_id__in=ids)
        .order_by("location_id")
        .values_list(
            "service_id",
            "location__commune_id",
            "location__commune__name",
            "location__latitude",
            "location__longitude",
        )
    )
    served = (
        Service.communes_served.through.objects.filter(
            service_id__in=ids, service__is_home_service=True
        )
        .order_by("commune_id")
        .values_list(
            "service_id", "commune_id", "commune__name", "commune__latitude", "commune__longitude"
        )
    )
    for place_rows in (located, served):
        for service_id, commune_id, name, latitude, longitude in place_rows:
            facts[service_id].places.append((commune_id, name, latitude, longitude))
    return list(facts.values())


def _tags(service: dict, facts: Facts) -> str:
    found = [tags.cpts(service["organization__cpts_id"])]
    found += [tags.care_type(pk) for pk, _ in facts.care_types]
    found += [tags.profession(pk) for pk, _ in facts.professions]
    found += [tags.label(pk) for pk, _ in facts.labels]
    if service["cost"] in FREE_COSTS:
        found.append(tags.FREE)
    if service["for_patients"]:
        found.append(tags.AUDIENCE["patients"])
    if service["for_relatives"]:
        found.append(tags.AUDIENCE["relatives"])
    for phase, tag in tags.PHASE.items():
        if service[f"phase_{phase}"]:
            found.append(tag)
    return " ".join(sorted(set(found)))


def build_entry(facts: Facts) -> Entry | None:
    """The index rows of a service; None for an inactive one (it is not searchable)."""
    service = facts.service
    if service["status"] != ServiceStatus.ACTIVE:
        return None
    document = SearchDocument(
        service_id=service["pk"],
        name_key=text.sort_key(service["name"]),
        title=text.normalize_text(service["name"], service["organization__name"]),
        body=text.normalize_text(
            service["description"],
            *(name for _, name in facts.care_types),
            *(name for _, name in facts.professions),
            *(name for _, name in facts.labels),
            # Each commune once, in a stable order.
            *sorted({name for _, name, _, _ in facts.places}),
        ),
        tags=_tags(service, facts),
    )
    points: dict[tuple[int, float, float], SearchPoint] = {}
    for commune_id, _, latitude, longitude in facts.places:
        points.setdefault(
            (commune_id, latitude, longitude),
            SearchPoint(
                service_id=service["pk"],
                commune_id=commune_id,
                latitude=latitude,
                longitude=longitude,
                latitude_band=geo.latitude_band(latitude),
                name_key=document.name_key,
                tags=f" {document.tags} ",
            ),
        )
    return Entry(document, list(points.values()))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def write_entries(
    ids: list[int], entries: list[Entry], *, rank_of: dict[int, int] | None = None
) -> None:
    """Replace the index rows of `ids` by `entries` (ids without an entry leave the index).

    `rank_of`: the name rank of each service, when the whole index is being
    rebuilt; otherwise each document takes a rank between its neighbours, and
    ranks.NoRoom is raised when names crowd one place of the alphabet (the
    caller then rebuilds the whole index).
    """
    search_backend = backend.for_connection(connection)
    with connection.cursor() as cursor:
        search_backend.lock_for_writing(cursor)
        SearchPoint.objects.filter(service_id__in=ids).delete()
        # Deleted then inserted (not updated in place): the FTS triggers of SQLite
        # then see one plain removal and one plain addition per document.
        SearchDocument.objects.filter(service_id__in=ids).delete()
        documents = [entry.document for entry in entries]
        if rank_of is not None:
            for document in documents:
                document.name_rank = rank_of[document.service_id]
        else:
            ranks.between_neighbours(cursor, search_backend, documents)
    SearchDocument.objects.bulk_create(documents)
    SearchPoint.objects.bulk_create([point for entry in entries for point in entry.points])
    words = {word for d in documents for column in (d.title, d.body) for word in column.split()}
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=word) for word in sorted(words)], ignore_conflicts=True
    )


def refresh(service_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these services (an inactive one leaves the index)."""
    ids = sorted(set(service_ids))
    with transaction.atomic():
        try:
            with transaction.atomic():
                for chunk in _chunks(ids):
                    entries = [build_entry(facts) for facts in load_facts(chunk)]
                    write_entries(chunk, [entry for entry in entries if entry is not None])
        except ranks.NoRoom:
            rebuild_all()


def rebuild_all() -> int:
    """Rebuild the whole index from the directory; returns the number of documents.

    On SQLite the full-text index is set aside first and read again once at
    the end: faster than keeping it in step row by row, and it repairs an
    index that had drifted.
    """
    search_backend = backend.for_connection(connection)
    with transaction.atomic():
        with connection.cursor() as cursor:
            search_backend.lock_for_writing(cursor)
            search_backend.before_rebuild(cursor)
        SearchPoint.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        active = Service.objects.filter(status=ServiceStatus.ACTIVE).values_list("pk", "name")
        rank_of = ranks.spaced({pk: text.sort_key(name) for pk, name in active})
        for chunk in _chunks(sorted(rank_of)):
            entries = [build_entry(facts) for facts in load_facts(chunk)]
            write_entries([], [entry for entry in entries if entry], rank_of=rank_of)
        with connection.cursor() as cursor:
            search_backend.rebuild(cursor)
        return len(rank_of)
