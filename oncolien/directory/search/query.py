"""One search interface over the directory: `search_services(ServiceQuery) -> SearchPage`.

Words and filters are answered by the full-text index of the database (SQLite
FTS5 or PostgreSQL full text, see `sqlite_fts.py` and `postgres_fts.py`), the
filters as tags of each document (`tags.py`). Around a commune, the places of
the services (`SearchPoint`) inside a latitude/longitude box are measured
exactly in Python, so that both databases return the same services, at the
same distances, in the same order.

Order of results: by distance when a commune is given; otherwise by relevance
when words are given (services whose own or organisation name holds every word
first), then by name; otherwise by name.
"""

# SQL here is assembled from this module's constants and conditions; every value
# a user gives travels as a query parameter.
# ruff: noqa: S608

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from math import ceil

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from oncolien.directory.models import VERIFICATION_MAX_AGE, Access, Cost, Label, ServiceStatus
from oncolien.reference.models import CareType, Profession
from oncolien.territories.lookups import CommuneNotFound, commune_by_insee
from oncolien.territories.models import Commune, Cpts

from . import backend, geo, tags, text, vocabulary
from .criteria import PREFIX_MARK, Concept, Match

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_RADIUS_KM = 200


class InvalidSearch(ValueError):
    """A criterion that cannot be searched (unknown code, commune…); French message."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ServiceQuery:
    words: str = ""
    care_types: Sequence[str] = ()  # any of these care type codes
    professions: Sequence[str] = ()  # any of these profession codes
    cpts: str = ""  # slug of the curating CPTS
    commune: str = ""  # INSEE code: services within radius_km, or in the commune
    radius_km: float | None = None
    label: str = ""
    free_only: bool = False  # free for the patient (free or funded by an association)
    audience: str = ""  # "patients" or "relatives"
    phase: str = ""  # a reference Phase value
    # Services holding any of the words rather than all (see search_with_fallback).
    any_word: bool = False
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True, slots=True)
class OrganizationHit:
    pk: int
    name: str
    is_fictitious: bool


@dataclass(frozen=True, slots=True)
class ServiceHit:
    """What a list of results shows of a service, read as plain values.

    Named and shaped as the model (`pk`, `organization.name`, `get_cost_display()`…)
    so that pages and the API read a hit as they would read a `Service`; building
    these is four times cheaper than loading the model objects (see _results).
    """

    pk: int
    name: str
    organization: OrganizationHit
    is_home_service: bool
    access: str
    cost: str
    remaining_cost_amount: Decimal | None
    cost_details: str
    last_verified_on: date | None

    @property
    def id(self) -> int:
        return self.pk

    def get_cost_display(self) -> str:
        return str(Cost(self.cost).label)

    def get_access_display(self) -> str:
        return str(Access(self.access).label)

    def get_absolute_url(self) -> str:
        return reverse("directory:service_detail", kwargs={"pk": self.pk})

    @property
    def needs_verification(self) -> bool:
        """As Service.needs_verification: never verified, or more than a year ago."""
        if self.last_verified_on is None:
            return True
        return timezone.localdate() - self.last_verified_on > VERIFICATION_MAX_AGE


@dataclass(frozen=True, slots=True)
class CareTypeHit:
    pk: int
    code: str
    name: str
    basket: bool
    is_core: bool


@dataclass
class SearchResult:
    """One service found, with what a list of results shows of it."""

    service: ServiceHit
    care_types: list[CareTypeHit] = field(default_factory=list)
    # Names of the communes of its locations, in alphabetical order.
    communes: list[str] = field(default_factory=list)
    # From the searched commune's centroid to the nearest place of the service.
    distance_km: float | None = None


@dataclass
class SearchPage:
    results: list[SearchResult]
    total: int
    page: int
    page_size: int
    origin: Commune | None = None
    radius_km: float | None = None
    # Around a commune: the distance of the farthest service found (all pages).
    farthest_km: float | None = None
    # What search_with_fallback did when nothing matched the query as asked.
    asked_radius_km: float | None = None  # the radius asked, when it was widened
    widened: bool = False
    relaxed_words: bool = False
    # « Vouliez-vous dire … » : the query with misspelt words replaced.
    suggestions: list[str] = field(default_factory=list)

    @property
    def notice(self) -> str:
        """What was done to find something, in French (empty when nothing was)."""
        return fallback_notice(self)

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def out_of_range(self) -> bool:
        """A page past the last one: no results there, though the search found some."""
        return self.total > 0 and self.page > self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1


@dataclass
class _Criteria:
    query: ServiceQuery
    match: Match
    origin: Commune | None


def _codes(values: Sequence[str] | str) -> list[str]:
    # "a,b", ["a,b"] and ["a", "b"] alike; blanks ignored.
    if isinstance(values, str):
        values = [values]
    return sorted({code.strip() for value in values for code in value.split(",") if code.strip()})


def _check_paging(query: ServiceQuery) -> None:
    if query.page < 1:
        raise InvalidSearch("Le numéro de page commence à 1.", field="page")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise InvalidSearch(
            f"Le nombre de résultats par page va de 1 à {MAX_PAGE_SIZE}.", field="page_size"
        )


def _pks(model, column: str, values: Sequence[str]) -> dict[str, int]:
    """{value: primary key} of the rows of `model` whose `column` is one of `values`.

    One plain query: through the ORM, compiling these lookups cost more than
    the index query of the search itself (cProfile, bench/directory_search.py).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, id FROM {model._meta.db_table} "
            f"WHERE {column} IN ({', '.join(['%s'] * len(values))})",
            list(values),
        )
        return dict(cursor.fetchall())


def _care_types(query: ServiceQuery) -> list[int]:
    codes = _codes(query.care_types)
    if not codes:
        return []
    found = _pks(CareType, "code", codes)
    if unknown := sorted(set(codes) - set(found)):
        raise InvalidSearch(
            f"Soin de support inconnu : {', '.join(unknown)}. "
            "Les codes sont listés sur /api/v1/reference/care-types.",
            field="care_type",
        )
    return sorted(found.values())


def _professions(query: ServiceQuery) -> list[int]:
    codes = _codes(query.professions)
    if not codes:
        return []
    found = _pks(Profession, "code", codes)
    if unknown := sorted(set(codes) - set(found)):
        raise InvalidSearch(f"Profession inconnue : {', '.join(unknown)}.", field="profession")
    return sorted(found.values())


def _tag_groups(query: ServiceQuery, care_types: list[int]) -> list[list[str]]:
    """The filters as groups of tags: any tag of a group, every group."""
    groups = []
    if care_types:
        groups.append([tags.care_type(pk) for pk in care_types])
    if professions := _professions(query):
        groups.append([tags.profession(pk) for pk in professions])
    if code := query.label.strip():
        label_id = _pks(Label, "code", [code]).get(code)
        if label_id is None:
            raise InvalidSearch(f"Label inconnu : {code}.", field="label")
        groups.append([tags.label(label_id)])
    if slug := query.cpts.strip():
        cpts_id = _pks(Cpts, "slug", [slug]).get(slug)
        if cpts_id is None:
            raise InvalidSearch(f"Aucune CPTS ne porte l'identifiant « {slug} ».", field="cpts")
        groups.append([tags.cpts(cpts_id)])
    if query.free_only:
        groups.append([tags.FREE])
    if audience := query.audience.strip():
        if audience not in tags.AUDIENCE:
            raise InvalidSearch(
                "Public inconnu : indiquez « patients » ou « relatives » (proches et aidants).",
                field="audience",
            )
        groups.append([tags.AUDIENCE[audience]])
    if phase := query.phase.strip():
        if phase not in tags.PHASE:
            raise InvalidSearch(
                "Phase inconnue : indiquez diagnosis, treatment ou after_treatment.", field="phase"
            )
        groups.append([tags.PHASE[phase]])
    return groups


def _origin(query: ServiceQuery) -> Commune | None:
    if query.radius_km is not None and not 0 < query.radius_km <= MAX_RADIUS_KM:
        raise InvalidSearch(
            f"Le rayon de recherche doit être supérieur à 0 et d'au plus {MAX_RADIUS_KM} km.",
            field="radius_km",
        )
    if not query.commune.strip():
        if query.radius_km is not None:
            raise InvalidSearch("Indiquez la commune autour de laquelle chercher.", field="commune")
        return None
    try:
        return commune_by_insee(query.commune)
    except CommuneNotFound as error:
        raise InvalidSearch(str(error), field="commune") from None


def words_match(words: str) -> Match:
    """The words of a query as the index reads them: stems, and the vocabulary's expansions.

    A phrase of the vocabulary (« assistante sociale », « perdre du poids »)
    becomes a concept: the phrase itself or any of what the vocabulary says it
    finds. Other words are plain stems, all required. The last word typed also
    matches longer words (« diet » → « diététicienne »), from three letters on.
    """
    kept = text.query_words(words)
    if not kept:
        return Match()
    stems = [text.stem(word) for word in kept]
    last_is_prefix = len(kept[-1]) >= text.MIN_PREFIX_LENGTH
    pieces = vocabulary.current().expand(stems)
    terms: list[str] = []
    concepts: list[Concept] = []
    plain_last = False
    for position, (phrase, finds) in enumerate(pieces):
        is_last = position == len(pieces) - 1
        prefix = is_last and last_is_prefix
        if not finds:
            stem = text.prefix_stem(kept[-1]) if prefix else phrase[0]
            if stem in terms:
                terms.remove(stem)
            terms.append(stem)
            plain_last = is_last
            continue
        own = phrase
        if prefix and len(phrase) == 1:
            own = (text.prefix_stem(kept[-1]) + PREFIX_MARK,)
        concept = (own, *(found for found in finds if found not in (own, phrase)))
        if concept not in concepts:
            concepts.append(concept)
    last_term_is_prefix = plain_last and last_is_prefix and len(terms[-1]) >= text.MIN_PREFIX_LENGTH
    return Match(terms, last_term_is_prefix, concepts=tuple(concepts))


def _resolve(query: ServiceQuery) -> _Criteria:
    """Check every criterion; raise InvalidSearch on the first one that cannot be searched."""
    _check_paging(query)
    groups = _tag_groups(query, _care_types(query))
    match = replace(words_match(query.words), tag_groups=groups, any_word=query.any_word)
    return _Criteria(query, match, _origin(query))


def _ids_by_distance(
    criteria: _Criteria, origin: Commune, search_backend
) -> tuple[list[tuple[int, float]], int, float | None]:
    """(service id, km) of the page, nearest first, the number found in all and
    the distance of the farthest."""
    query = criteria.query
    conditions: list[str]
    params: list[int | float | str]
    if query.radius_km is None:
        # No radius: the services at, or serving, the commune itself.
        conditions, params = ["p.commune_id = %s"], [origin.pk]
    else:
        box = geo.bounding_box(origin.latitude, origin.longitude, query.radius_km)
        bands = box.bands
        conditions = [
            f"p.latitude_band IN ({', '.join(['%s'] * len(bands))})",
            "p.longitude BETWEEN %s AND %s",
            "p.latitude BETWEEN %s AND %s",
        ]
        params = [*bands, box.min_longitude, box.max_longitude]
        params += [box.min_latitude, box.max_latitude]
    # The filters are read from the point's copy of the tags: no other table.
    for group in criteria.match.tag_groups:
        conditions.append("(" + " OR ".join(["p.tags LIKE %s"] * len(group)) + ")")
        params += [f"% {tag} %" for tag in group]
    with connection.cursor() as cursor:
        if criteria.match.has_words:
            words = replace(criteria.match, tag_groups=[])
            sql, values = search_backend.matching_ids(words, cursor)
            conditions.append(f"p.service_id IN ({sql})")
            params += values
        cursor.execute(
            "SELECT p.service_id, p.latitude, p.longitude, p.name_key "
            f"FROM directory_searchpoint p WHERE {' AND '.join(conditions)}",
            params,
        )
        rows = cursor.fetchall()
    nearest: dict[int, tuple[float, str]] = {}
    for service_id, latitude, longitude, name_key in rows:
        km = geo.haversine_km(origin.latitude, origin.longitude, latitude, longitude)
        if query.radius_km is not None and km > query.radius_km:
            continue
        if service_id not in nearest or km < nearest[service_id][0]:
            nearest[service_id] = (km, name_key)
    ranked = sorted(nearest.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
    start = (query.page - 1) * query.page_size
    page = ranked[start : start + query.page_size]
    farthest = ranked[-1][1][0] if ranked else None
    return [(service_id, km) for service_id, (km, _) in page], len(ranked), farthest


def _decimal(value) -> Decimal | None:
    # SQLite hands back a float or an int, PostgreSQL a Decimal: two places, as the field.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _date(value) -> date | None:
    # SQLite hands back the ISO text, PostgreSQL a date.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


SERVICE_COLUMNS = (
    "s.id, s.name, s.is_home_service, s.access, s.cost, s.remaining_cost_amount, "
    "s.cost_details, s.last_verified_on, o.id, o.name, o.is_fictitious"
)


def _results(ranked: Sequence[tuple[int, float | None]]) -> list[SearchResult]:
    """The page's services with their cares and communes, in two queries of plain rows.

    Plain rows, not model objects: building 20 services, their organisations and
    their cares through the ORM cost three times the whole search in SQL
    (bench/directory_search.py, cProfile).
    """
    ids = [service_id for service_id, _ in ranked]
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    services: dict[int, ServiceHit] = {}
    care_types: dict[int, list[CareTypeHit]] = defaultdict(list)
    communes: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {SERVICE_COLUMNS} FROM directory_service s "
            "JOIN directory_organization o ON o.id = s.organization_id "
            f"WHERE s.id IN ({placeholders}) AND s.status = %s",
            [*ids, ServiceStatus.ACTIVE.value],
        )
        for row in cursor.fetchall():
            services[row[0]] = ServiceHit(
                pk=row[0],
                name=row[1],
                organization=OrganizationHit(pk=row[8], name=row[9], is_fictitious=bool(row[10])),
                is_home_service=bool(row[2]),
                access=row[3],
                cost=row[4],
                remaining_cost_amount=_decimal(row[5]),
                cost_details=row[6],
                last_verified_on=_date(row[7]),
            )
        # Cares (in their reference order) and communes of the locations, in one read.
        cursor.execute(
            "SELECT link.service_id, care.id, care.code, care.name, care.basket, care.is_core, "
            "care.position "
            "FROM directory_service_care_types link "
            "JOIN reference_caretype care ON care.id = link.caretype_id "
            f"WHERE link.service_id IN ({placeholders}) "
            "UNION ALL "
            "SELECT link.service_id, NULL, NULL, commune.name, NULL, NULL, NULL "
            "FROM directory_serviceatlocation link "
            "JOIN directory_location location ON location.id = link.location_id "
            "JOIN territories_commune commune ON commune.id = location.commune_id "
            f"WHERE link.service_id IN ({placeholders})",
            [*ids, *ids],
        )
        cares: list[tuple[int, str, int, CareTypeHit]] = []
        for service_id, pk, code, name, basket, is_core, position in cursor.fetchall():
            if pk is None:
                communes[service_id].add(name)
            else:
                hit = CareTypeHit(pk, code, name, bool(basket), bool(is_core))
                cares.append((position, code, service_id, hit))
        for _, _, service_id, hit in sorted(cares, key=lambda care: (care[0], care[1])):
            care_types[service_id].append(hit)
    return [
        SearchResult(services[service_id], care_types[service_id], sorted(communes[service_id]), km)
        for service_id, km in ranked
        # A service deactivated since the ids were read is left out.
        if service_id in services
    ]


def search_services(query: ServiceQuery) -> SearchPage:
    """Active services matching every criterion, one page of them, with the total.

    Raises InvalidSearch (French message, offending field) for an unknown code,
    commune or CPTS, a radius without commune, or paging out of bounds.
    """
    search_backend = backend.for_connection(connection)
    criteria = _resolve(query)
    ranked: Sequence[tuple[int, float | None]]
    farthest = None
    if criteria.origin is not None:
        ranked, total, farthest = _ids_by_distance(criteria, criteria.origin, search_backend)
    else:
        offset = (query.page - 1) * query.page_size
        with connection.cursor() as cursor:
            ids, total = search_backend.find(cursor, criteria.match, offset, query.page_size)
        ranked = [(service_id, None) for service_id in ids]
    results = _results(ranked)
    return SearchPage(
        results=results,
        total=total,
        page=query.page,
        page_size=query.page_size,
        origin=criteria.origin,
        radius_km=query.radius_km,
        farthest_km=farthest,
    )


# Around a commune, with nothing found: the radius is doubled until something
# is (at most MAX_RADIUS_KM); with no radius asked (in the commune), from this one.
FIRST_WIDER_RADIUS_KM = 10


def _wider_radii(query: ServiceQuery) -> list[float]:
    if not query.commune.strip():
        return []
    radius = query.radius_km or FIRST_WIDER_RADIUS_KM / 2
    radii = []
    while radius < MAX_RADIUS_KM:
        radius = min(radius * 2, MAX_RADIUS_KM)
        radii.append(radius)
    return radii


def _word_count(words: str) -> int:
    match = words_match(words)
    return len(match.terms) + len(match.concepts)


def suggestions(words: str) -> list[str]:
    """The query with each misspelt word replaced by the closest vocabulary word
    (« dieteticiene » → « diététicienne », « sofrologie » → « sophrologie »);
    empty when no word is that close to one the vocabulary spells differently.
    Words of a vocabulary phrase found in the query (« éducation thérapeutique »)
    are left as they are."""
    known = vocabulary.current()
    typed = text.folded_words(words)
    in_phrases = {
        word
        for phrase, finds in known.expand([text.stem(word) for word in typed])
        if finds and len(phrase) > 1
        for word in typed
        if text.stem(word) in phrase
    }
    replaced = [
        word if known.knows(word) or word in in_phrases else known.suggestion(word) or word
        for word in typed
    ]
    return [" ".join(replaced)] if replaced != typed else []


def search_with_fallback(query: ServiceQuery) -> SearchPage:
    """search_services, and when nothing matches: a wider radius around the commune,
    then any of the words rather than all; `notice` says what was done, and
    `suggestions` proposes spellings from the vocabulary for misspelt words.

    Filters (care type, CPTS, cost…) are never relaxed.
    """
    proposed = suggestions(query.words)
    found = search_services(query)
    if found.total:
        return replace(found, suggestions=proposed)
    attempts: list[tuple[ServiceQuery, bool, bool]] = [
        (replace(query, radius_km=radius), True, False) for radius in _wider_radii(query)
    ]
    if _word_count(query.words) > 1:
        relaxed = replace(query, any_word=True)
        attempts.append((relaxed, False, True))
        attempts += [
            (replace(relaxed, radius_km=radius), True, True) for radius in _wider_radii(query)
        ]
    for attempt, widened, relaxed_words in attempts:
        wider = search_services(attempt)
        if wider.total:
            return replace(
                wider,
                asked_radius_km=query.radius_km,
                widened=widened,
                relaxed_words=relaxed_words,
                suggestions=proposed,
            )
    return replace(found, suggestions=proposed)


def _km(value: float) -> str:
    return f"{ceil(value - 1e-9):g} km"


def fallback_notice(page: SearchPage) -> str:
    """« Aucune offre à moins de 20 km ; voici les plus proches, jusqu'à 45 km. »"""
    parts = []
    if page.widened and page.origin is not None and page.farthest_km is not None:
        if page.asked_radius_km:
            nothing = f"Aucune offre à moins de {_km(page.asked_radius_km)}"
        else:
            nothing = f"Aucune offre dans la commune {page.origin.name}"
        parts.append(f"{nothing} ; voici les plus proches, jusqu'à {_km(page.farthest_km)}.")
    if page.relaxed_words:
        parts.append(
            "Aucune offre ne contient tous les mots cherchés ; "
            "voici celles qui en contiennent au moins un."
        )
    return " ".join(parts)
