"""Reads of the directory, shared by pages, exports, the PDF and the open-data APIs."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from oncolien.directory.models import Location, Service, ServiceStatus
from oncolien.reference.models import CareType


def services_public() -> QuerySet[Service]:
    """Active services with everything a listing shows, in a constant number of queries."""
    return (
        Service.objects.filter(status=ServiceStatus.ACTIVE)
        .select_related("organization", "organization__cpts")
        .prefetch_related(
            "care_types",
            "professions",
            "labels",
            Prefetch("locations", queryset=Location.objects.select_related("commune")),
        )
    )


@dataclass
class CareTypeSection:
    care_type: CareType
    services: list[Service]


def services_by_care_type(*, cpts) -> list[CareTypeSection]:
    """A CPTS directory grouped by care type (a service appears under each of its cares),
    in the reference order of the cares, services by name."""
    services = list(services_public().filter(organization__cpts=cpts).order_by("name", "pk"))
    sections: dict[int, CareTypeSection] = {}
    for care_type in CareType.objects.filter(active=True).order_by("position", "name"):
        sections[care_type.pk] = CareTypeSection(care_type, [])
    for service in services:
        for care_type in service.care_types.all():
            if care_type.pk in sections:
                sections[care_type.pk].services.append(service)
    return [section for section in sections.values() if section.services]
