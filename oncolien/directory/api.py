"""Public JSON search of the directory (mounted at /api/v1/directory/).

The endpoint translates HTTP to `search_services` and back: the same search,
the same order and the same totals as the public search page.
"""

from datetime import date
from typing import Annotated

from django.db.models import TextChoices
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from oncolien.api_errors import Coded, ErrorOut
from oncolien.directory.search.places import resolve_place
from oncolien.directory.search.query import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_RADIUS_KM,
    InvalidSearch,
    SearchResult,
    ServiceQuery,
    search_with_fallback,
)
from oncolien.directory.search.tags import AUDIENCE
from oncolien.pagination import MAX_PAGE, PageOut, envelope, page_of
from oncolien.reference.models import Phase

router = Router(tags=["annuaire"])

# Repeatable parameters, declared once (a list default may not sit in a signature).
CARE_TYPE_PARAM = Query(
    None,
    description="Code(s) de soin de support, répétés ou séparés par des virgules : "
    "l'un ou l'autre.",
)
PROFESSION_PARAM = Query(
    None, description="Code(s) de profession, répétés ou séparés par des virgules."
)


class Audience(TextChoices):
    """Who a service is for (the search's `audience`)."""

    PATIENTS = "patients", "Patients"
    RELATIVES = "relatives", "Proches et aidants"


# The search knows these audiences and no other.
assert set(Audience.values) == set(AUDIENCE), "Audience must list the search's audiences"


class CareTypeOut(Schema):
    code: str
    name: str


class OrganizationRefOut(Schema):
    id: int
    name: str
    # Demo entries: their contacts are invented.
    is_fictitious: bool


class ServiceHitOut(Schema):
    id: int
    name: str
    url: str
    organization: OrganizationRefOut
    care_types: list[CareTypeOut]
    communes: list[str]
    is_home_service: bool
    distance_km: float | None
    cost: str
    cost_label: str
    remaining_cost_amount: float | None
    last_verified_on: date | None
    needs_verification: bool


class OriginOut(Schema):
    insee_code: str
    name: str
    department_code: str
    radius_km: float | None


class ServiceSearchOut(PageOut[ServiceHitOut]):
    origin: OriginOut | None
    # When nothing matched as asked: what the search did instead (empty otherwise).
    notice: str = ""
    widened_from_km: float | None = None
    relaxed_words: bool = False
    # « Vouliez-vous dire … » : the words with misspellings replaced from the vocabulary.
    did_you_mean: list[str] = []


class CommuneCandidateOut(Schema):
    insee_code: str
    name: str
    department_code: str


class SearchErrorOut(ErrorOut):
    # For a commune name or postal code that several communes share.
    candidates: list[CommuneCandidateOut] = []


def _hit(request, result: SearchResult) -> dict:
    service = result.service
    return {
        "id": service.pk,
        "name": service.name,
        "url": request.build_absolute_uri(
            reverse("directory:service_detail", kwargs={"pk": service.pk})
        ),
        "organization": {
            "id": service.organization.pk,
            "name": service.organization.name,
            "is_fictitious": service.organization.is_fictitious,
        },
        "care_types": [{"code": c.code, "name": c.name} for c in result.care_types],
        "communes": result.communes,
        "is_home_service": service.is_home_service,
        "distance_km": None if result.distance_km is None else round(result.distance_km, 2),
        "cost": service.cost,
        "cost_label": service.get_cost_display(),
        "remaining_cost_amount": (
            None if service.remaining_cost_amount is None else float(service.remaining_cost_amount)
        ),
        "last_verified_on": service.last_verified_on,
        "needs_verification": service.needs_verification,
    }


def _error(message: str, field: str, candidates=()) -> Status:
    """A criterion the search cannot use: 422, the API's error shape (with the candidate
    communes when a name or postal code is shared)."""
    return Status(
        422,
        {
            "detail": message,
            "errors": [{"field": field, "message": message, "type": "invalid"}],
            "candidates": [
                {"insee_code": c.insee_code, "name": c.name, "department_code": c.department.code}
                for c in candidates
            ],
        },
    )


@router.get(
    "/services",
    response={200: ServiceSearchOut, 422: SearchErrorOut},
    auth=None,
)
def search(
    request,
    q: str = Query("", max_length=200, description="Mots (accents et majuscules indifférents)."),
    care_type: list[str] | None = CARE_TYPE_PARAM,
    profession: list[str] | None = PROFESSION_PARAM,
    cpts: str = Query("", description="Identifiant (slug) de la CPTS qui recense l'offre."),
    commune: str = Query(
        "", description="Code INSEE, code postal ou nom de la commune autour de laquelle chercher."
    ),
    radius_km: float | None = Query(
        None, gt=0, le=MAX_RADIUS_KM, description="Rayon en km ; sans rayon : dans la commune."
    ),
    label: str = Query("", description="Code d'un label (ex. post_cancer_programme)."),
    free: bool = Query(False, description="Gratuit pour le patient uniquement."),
    audience: Annotated[str, Coded(Audience, blank=True)] = Query(
        "", description="patients, ou relatives (proches et aidants)."
    ),
    phase: Annotated[str, Coded(Phase, blank=True)] = Query(
        "", description="diagnosis, treatment ou after_treatment."
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Recherche d'offres actives de l'annuaire des soins de support.

    Tri : par distance quand une commune est donnée ; sinon par pertinence quand
    des mots sont donnés (les offres dont le nom ou celui de la structure contient
    tous les mots d'abord), puis par nom.
    """
    insee = ""
    if commune.strip():
        place = resolve_place(commune)
        if place.error:
            return _error(place.error, "commune", place.candidates)
        assert place.commune is not None  # a place without error has its commune
        insee = place.commune.insee_code
    query = ServiceQuery(
        words=q,
        care_types=care_type or [],
        professions=profession or [],
        cpts=cpts,
        commune=insee,
        radius_km=radius_km,
        label=label,
        free_only=free,
        audience=audience,
        phase=phase,
        page=page,
        page_size=page_size,
    )
    try:
        found = search_with_fallback(query)
    except InvalidSearch as error:
        return _error(str(error), error.field)
    origin = found.origin
    # The same refusal as every list of the API for a page that does not exist.
    shown = page_of(range(found.total), found.page, found.page_size)
    return Status(
        200,
        {
            **envelope(request, shown, []),
            "origin": origin
            and {
                "insee_code": origin.insee_code,
                "name": origin.name,
                "department_code": origin.department.code,
                "radius_km": found.radius_km,
            },
            "results": [_hit(request, result) for result in found.results],
            "notice": found.notice,
            "widened_from_km": found.asked_radius_km if found.widened else None,
            "relaxed_words": found.relaxed_words,
            "did_you_mean": found.suggestions,
        },
    )
