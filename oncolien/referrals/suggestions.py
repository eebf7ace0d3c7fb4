"""Suggestions of directory services for one need of a pathway.

Active services of the care type around the patient's commune (the directory's
own search, so the distances are those the public directory shows), those
"inside the CPTS" first, then the others, each group nearest first.

"Inside the CPTS" means: the service has a place in a commune of the pathway's
CPTS, or its organisation is listed by that CPTS. The coordinating nurse first
looks to her own territory's network, as the field documents describe.
"""

from dataclasses import dataclass

from django.db.models import Q

from oncolien.directory.models import Service
from oncolien.directory.search.query import ServiceHit, ServiceQuery, search_services
from oncolien.pathways.models import Pathway
from oncolien.reference.models import CareType

DEFAULT_RADIUS_KM = 60
MAX_SUGGESTIONS = 100


@dataclass(frozen=True)
class Suggestion:
    service: ServiceHit  # what the list shows of the service, as plain values
    distance_km: float | None
    inside_cpts: bool
    communes: list[str]

    @property
    def cost_label(self) -> str:
        label = self.service.get_cost_display()
        if self.service.remaining_cost_amount is not None:
            label = f"{label} ({self.service.remaining_cost_amount} €)"
        return label


def suggestions_for(
    *, pathway: Pathway, care_type: CareType, radius_km: float = DEFAULT_RADIUS_KM
) -> list[Suggestion]:
    """For a pathway obtained from `pathway_for` (the patient's commune is read from it)."""
    page = search_services(
        ServiceQuery(
            care_types=[care_type.code],
            commune=pathway.patient.commune.insee_code,
            radius_km=radius_km,
            page_size=MAX_SUGGESTIONS,
        )
    )
    ids = [result.service.pk for result in page.results]
    inside = set(
        Service.objects.filter(pk__in=ids)
        .filter(
            Q(locations__commune__cpts_set=pathway.cpts_id)
            | Q(organization__cpts_id=pathway.cpts_id)
        )
        .values_list("pk", flat=True)
    )
    suggestions = [
        Suggestion(
            service=result.service,
            distance_km=result.distance_km,
            inside_cpts=result.service.pk in inside,
            communes=result.communes,
        )
        for result in page.results
    ]
    far = float("inf")
    return sorted(
        suggestions,
        key=lambda s: (not s.inside_cpts, s.distance_km if s.distance_km is not None else far),
    )
