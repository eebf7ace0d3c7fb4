"""The directory as FHIR R4 resources: HealthcareService, Organization, Location.

Mapping (directory → FHIR):
- Service → HealthcareService: care types in `category` and `type` (our code
  system), professions in `specialty`, audience, phases and access conditions
  in `eligibility`, cost in `serviceProvisionCode`, labels in `program`, "à
  domicile" in `characteristic`, opening hours (free text) in
  `availabilityExceptions`, the communes served and those of its places in
  `coverageArea`.
- Organization → Organization with its SIRET/SIREN, FINESS, RPPS (see
  fhir.identifiers).
- Location → Location (`[base]/Location/[pk]`), part of its commune.
- Commune → Location `commune-[INSEE code]`, an area a service covers; the
  INSEE code is in `address.district`, as FR Core's address profile puts it.

The resources are plain R4 (checked against the `fhir.resources` R4B models in
the tests) and claim no FR Core profile: FR Core allows one `category` where a
service here has one per care type. `appointmentRequired` is left out: the
directory records whether a referral or a prescription is needed (an
eligibility condition), not whether an appointment is.

Builders expect what `search_directory` prefetches; they never query.
"""

from decimal import Decimal

from oncolien.directory.models import (
    Access,
    Cost,
    Location,
    Organization,
    Service,
    ServiceStatus,
)
from oncolien.fhir import codesystems as cs
from oncolien.fhir.identifiers import organization_identifiers
from oncolien.reference.models import Phase
from oncolien.territories.models import Commune

COMMUNE_ID_PREFIX = "commune-"
# HL7's cross-version extension for R5's Organization.description (FR Core uses it too).
ORGANIZATION_DESCRIPTION_URL = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Organization.description"
)
# Costs that mean "nothing to pay" or "fees apply" in HL7's provision conditions.
HL7_PROVISION: dict[str, tuple[str, str]] = {
    Cost.FREE: ("free", "Free"),
    Cost.ASSOCIATION_FUNDED: ("free", "Free"),
    Cost.REMAINING_COST: ("cost", "Fees apply"),
}


def commune_location_id(insee_code: str) -> str:
    return f"{COMMUNE_ID_PREFIX}{insee_code}"


def insee_code_of(location_id: str) -> str | None:
    """The INSEE code in a `commune-XXXXX` Location id, else None."""
    if location_id.startswith(COMMUNE_ID_PREFIX):
        return location_id.removeprefix(COMMUNE_ID_PREFIX) or None
    return None


def _compact(resource: dict) -> dict:
    """FHIR forbids empty elements: drop None, "" and []."""
    return {key: value for key, value in resource.items() if value not in (None, "", [], {})}


def _meta(*, updated_at=None, fictitious: bool = False) -> dict:
    meta = {}
    if updated_at is not None:
        meta["lastUpdated"] = updated_at.isoformat(timespec="seconds")
    if fictitious:
        meta["security"] = [cs.TEST_DATA_SECURITY]
    return meta


def _telecom(*, phone: str = "", email: str = "", url: str = "") -> list[dict]:
    points = []
    if phone:
        points.append({"system": "phone", "value": phone, "use": "work"})
    if email:
        points.append({"system": "email", "value": email, "use": "work"})
    if url:
        points.append({"system": "url", "value": url, "use": "work"})
    return points


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def _cost_concept(service: Service) -> dict:
    label = Cost(service.cost).label
    text = label
    if service.cost == Cost.REMAINING_COST and service.remaining_cost_amount is not None:
        text = f"{label} : {_euros(service.remaining_cost_amount)}"
    if service.cost_details:
        text = f"{text} ({service.cost_details})"
    codeable = cs.concept(cs.COSTS, service.cost, label, text)
    if service.cost in HL7_PROVISION:
        code, display = HL7_PROVISION[service.cost]
        codeable["coding"].append(
            {"system": cs.SERVICE_PROVISION_SYSTEM, "code": code, "display": display}
        )
    return codeable


def _eligibility(service: Service) -> list[dict]:
    audience = dict(cs.AUDIENCE_CHOICES)
    rules: list[dict] = []
    if service.for_patients:
        rules.append({"code": cs.concept(cs.AUDIENCES, "patients", audience["patients"])})
    if service.for_relatives:
        rules.append({"code": cs.concept(cs.AUDIENCES, "relatives", audience["relatives"])})
    for phase, offered in (
        (Phase.DIAGNOSIS, service.phase_diagnosis),
        (Phase.TREATMENT, service.phase_treatment),
        (Phase.AFTER_TREATMENT, service.phase_after_treatment),
    ):
        if offered:
            rules.append({"code": cs.concept(cs.PHASES, phase.value, phase.label)})
    if service.access != Access.DIRECT:
        label = Access(service.access).label
        rules.append({"code": cs.concept(cs.ACCESS, service.access, label), "comment": label})
    return rules


def _verification_note(service: Service) -> str:
    if service.last_verified_on is None:
        return "Informations à vérifier : jamais vérifiées par la CPTS."
    verified = service.last_verified_on.strftime("%d/%m/%Y")
    if service.needs_verification:
        return f"Informations à vérifier : dernière vérification le {verified}."
    return f"Informations vérifiées le {verified}."


def location_display(location: Location, organization: Organization) -> str:
    return location.name or f"{organization.name} — {location.commune.name}"


def _communes_covered(service: Service, locations: list[Location]) -> list[Commune]:
    communes = {commune.pk: commune for commune in service.communes_served.all()}
    for location in locations:
        communes.setdefault(location.commune.pk, location.commune)
    return sorted(communes.values(), key=lambda commune: (commune.name, commune.insee_code))


def healthcare_service_resource(service: Service) -> dict:
    organization = service.organization
    locations = list(service.locations.all())
    care_types = [
        cs.concept(cs.CARE_TYPES, care_type.code, care_type.name)
        for care_type in service.care_types.all()
    ]
    note = _verification_note(service)
    if organization.is_fictitious:
        note = f"Démonstration : structure et contacts fictifs. {note}"
    hours = [
        f"{location_display(location, organization)} : {location.opening_hours}"
        for location in locations
        if location.opening_hours
    ]
    return _compact(
        {
            "resourceType": "HealthcareService",
            "id": str(service.pk),
            "meta": _meta(updated_at=service.updated_at, fictitious=organization.is_fictitious),
            "language": "fr",
            "active": service.status == ServiceStatus.ACTIVE,
            "providedBy": {
                "reference": f"Organization/{organization.pk}",
                "display": organization.name,
            },
            "category": care_types,
            "type": care_types,
            "specialty": [
                cs.concept(cs.PROFESSIONS, profession.code, profession.name)
                for profession in service.professions.all()
            ],
            "location": [
                {
                    "reference": f"Location/{location.pk}",
                    "display": location_display(location, organization),
                }
                for location in locations
            ],
            "name": service.name,
            "comment": note,
            "extraDetails": service.description,
            "telecom": _telecom(phone=service.phone, email=service.email, url=service.url),
            "coverageArea": [
                {
                    "reference": f"Location/{commune_location_id(commune.insee_code)}",
                    "display": f"{commune.name} ({commune.insee_code})",
                }
                for commune in _communes_covered(service, locations)
            ],
            "serviceProvisionCode": [_cost_concept(service)],
            "eligibility": _eligibility(service),
            "program": [
                cs.concept(cs.LABELS, label.code, label.name) for label in service.labels.all()
            ],
            "characteristic": (
                [cs.concept(cs.FEATURES, *cs.SERVICE_FEATURES[0])]
                if service.is_home_service
                else []
            ),
            "availabilityExceptions": "\n".join(hours),
        }
    )


def organization_resource(organization: Organization) -> dict:
    kind = cs.concept(cs.ORGANIZATION_KINDS, organization.kind, organization.get_kind_display())
    description = (
        [{"url": ORGANIZATION_DESCRIPTION_URL, "valueMarkdown": organization.description}]
        if organization.description
        else []
    )
    return _compact(
        {
            "resourceType": "Organization",
            "id": str(organization.pk),
            "meta": _meta(
                updated_at=organization.updated_at, fictitious=organization.is_fictitious
            ),
            "language": "fr",
            "extension": description,
            "identifier": organization_identifiers(organization),
            "active": True,
            "type": [kind],
            "name": organization.name,
            "telecom": _telecom(
                phone=organization.phone, email=organization.email, url=organization.website
            ),
        }
    )


def _address(*, commune: Commune, line: str = "", postal_code: str = "", site: bool = True) -> dict:
    return _compact(
        {
            "use": "work" if site else None,
            "type": "physical" if site else None,
            "line": [line] if line else [],
            "city": commune.name,
            "district": commune.insee_code,
            "postalCode": postal_code,
            "country": "FRA",
        }
    )


def location_resource(location: Location) -> dict:
    """A place where services are delivered; needs `organization` and `commune` loaded."""
    organization = location.organization
    commune = location.commune
    return _compact(
        {
            "resourceType": "Location",
            "id": str(location.pk),
            "meta": _meta(fictitious=organization.is_fictitious),
            "language": "fr",
            "status": "active",
            "name": location_display(location, organization),
            "description": (
                f"Accessibilité : {location.accessibility}" if location.accessibility else ""
            ),
            "mode": "instance",
            "telecom": _telecom(phone=location.phone, email=location.email),
            "address": _address(
                commune=commune, line=location.address, postal_code=location.postal_code
            ),
            "position": {"longitude": location.longitude, "latitude": location.latitude},
            "managingOrganization": {
                "reference": f"Organization/{organization.pk}",
                "display": organization.name,
            },
            "partOf": {
                "reference": f"Location/{commune_location_id(commune.insee_code)}",
                "display": commune.name,
            },
            "availabilityExceptions": location.opening_hours,
        }
    )


def commune_location_resource(commune: Commune) -> dict:
    """A commune as an area (HL7 physical type "jurisdiction")."""
    return {
        "resourceType": "Location",
        "id": commune_location_id(commune.insee_code),
        "language": "fr",
        "status": "active",
        "name": commune.name,
        "description": f"Commune : {commune.name} (code INSEE {commune.insee_code})",
        "mode": "instance",
        "physicalType": cs.concept(
            cs.LOCATION_PHYSICAL_TYPE_SYSTEM, "jdn", "Jurisdiction", "Commune"
        ),
        "address": _address(commune=commune, site=False),
        "position": {"longitude": commune.longitude, "latitude": commune.latitude},
    }


def any_location_resource(place: Location | Commune) -> dict:
    """The Location resource of a place of the directory or of a commune."""
    if isinstance(place, Commune):
        return commune_location_resource(place)
    return location_resource(place)
