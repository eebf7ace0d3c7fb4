"""CSV and XLSX export of a CPTS directory: the content of the printed directory,
in the columns of the import, so that an export imports again unchanged.

One row per service and location (a service delivered in two places has two
rows, a home service with no place one row with empty place columns), with the
care types of the service in one cell rather than the service repeated under
each care type as on paper: a table is for sorting and filtering, and this
shape is the one the import reads. Only active services, as on paper and on the
public pages. Values are written in French words (« Association »,
« Reste à charge », names of the cares), which the import accepts as well as codes.
"""

from decimal import Decimal

from django.utils import timezone

from oncolien.directory.importing.columns import (
    AUDIENCE_EXPORT,
    COLUMNS,
    HEADERS,
    PATIENTS,
    PHASE_EXPORT,
    PHASE_FIELDS,
    RELATIVES,
)
from oncolien.directory.models import Location, Service
from oncolien.directory.selectors import services_public
from oncolien.tables import csv_bytes, xlsx_bytes

LIST_SEPARATOR = " | "


def _services(cpts) -> list[Service]:
    return list(
        services_public()
        .filter(organization__cpts=cpts)
        .prefetch_related("communes_served")
        .order_by("organization__name", "name", "pk")
    )


def _names(objects) -> str:
    return LIST_SEPARATOR.join(obj.name for obj in objects)


def _decimal(value: Decimal | float | None) -> str:
    # French decimal comma, as the import reads (it also reads a dot).
    return "" if value is None else str(value).replace(".", ",")


def _service_cells(service: Service) -> dict[str, str]:
    organization = service.organization
    care_types = sorted(service.care_types.all(), key=lambda c: (c.position, c.name))
    audience = [
        AUDIENCE_EXPORT[code]
        for code, wanted in ((PATIENTS, service.for_patients), (RELATIVES, service.for_relatives))
        if wanted
    ]
    phases = [PHASE_EXPORT[code] for code, name in PHASE_FIELDS.items() if getattr(service, name)]
    return {
        "structure_nom": organization.name,
        "structure_type": organization.get_kind_display(),
        "structure_siret": organization.siret,
        "structure_finess": organization.finess,
        "structure_rpps": organization.rpps,
        "structure_courriel": organization.email,
        "structure_telephone": organization.phone,
        "structure_site_web": organization.website,
        "structure_presentation": organization.description,
        "offre_nom": service.name,
        "offre_description": service.description,
        "soins": _names(care_types),
        "professions": _names(sorted(service.professions.all(), key=lambda p: p.name)),
        "public": LIST_SEPARATOR.join(audience),
        "phases": LIST_SEPARATOR.join(phases),
        "acces": service.get_access_display(),
        "cout": service.get_cost_display(),
        "reste_a_charge": _decimal(service.remaining_cost_amount),
        "cout_precisions": service.cost_details,
        "labels": _names(sorted(service.labels.all(), key=lambda label: label.name)),
        "a_domicile": "oui" if service.is_home_service else "non",
        "communes_desservies": LIST_SEPARATOR.join(
            sorted(commune.insee_code for commune in service.communes_served.all())
        ),
        "offre_courriel": service.email,
        "offre_telephone": service.phone,
        "offre_page_web": service.url,
        "statut": service.get_status_display().lower(),
        "verifiee_le": (
            service.last_verified_on.strftime("%d/%m/%Y") if service.last_verified_on else ""
        ),
    }


def _location_cells(location: Location | None) -> dict[str, str]:
    if location is None:
        return {}
    given = location.coordinates_given
    return {
        "lieu_nom": location.name,
        "lieu_adresse": location.address,
        "lieu_code_postal": location.postal_code,
        "lieu_commune_insee": location.commune.insee_code,
        "lieu_commune": location.commune.name,
        "lieu_latitude": _decimal(location.latitude) if given else "",
        "lieu_longitude": _decimal(location.longitude) if given else "",
        "lieu_accessibilite": location.accessibility,
        "lieu_horaires": location.opening_hours,
        "lieu_telephone": location.phone,
        "lieu_courriel": location.email,
    }


def export_rows(*, cpts) -> list[list[str]]:
    """The header, then one row per active service and location of the CPTS directory."""
    rows = [list(HEADERS)]
    for service in _services(cpts):
        cells = _service_cells(service)
        # A service without a location still has its row.
        places: list[Location | None] = [
            *sorted(service.locations.all(), key=lambda location: location.pk)
        ] or [None]
        for location in places:
            values = {**cells, **_location_cells(location)}
            rows.append([values.get(name, "") for name in HEADERS])
    return rows


def export_csv(*, cpts) -> bytes:
    return csv_bytes(export_rows(cpts=cpts))


def export_xlsx(*, cpts) -> bytes:
    """The directory on a first sheet (the one the import reads), the columns explained on a second."""
    documentation = [["Colonne", "Libellé", "Obligatoire", "Contenu"]] + [
        [column.name, column.label, "oui" if column.required else "", column.description]
        for column in COLUMNS
    ]
    return xlsx_bytes([("Annuaire", export_rows(cpts=cpts)), ("Colonnes", documentation)])


def export_filename(*, cpts, extension: str) -> str:
    return f"annuaire-{cpts.slug}-{timezone.localdate().isoformat()}.{extension}"
