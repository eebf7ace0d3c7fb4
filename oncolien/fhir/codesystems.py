"""Code systems OncoLien publishes, and the external ones it uses.

The care types (INCa basket and complementary cares), professions, labels,
cost, access, audience and phases have no national FHIR terminology, so they
are OncoLien's own code systems. Their canonical URLs are identifiers under
`https://oncolien.fr/fhir/CodeSystem/`; each is served as a CodeSystem
resource at `[base]/CodeSystem/[id]` so that a client can read what the codes
mean. Codes are the `code` of the reference data (stable, versioned data).
"""

from collections.abc import Callable
from dataclasses import dataclass

from oncolien.directory.models import Access, Cost, Label, OrganizationKind
from oncolien.reference.models import CareType, Phase, Profession

CANONICAL_BASE = "https://oncolien.fr/fhir"

# HL7 terminology used alongside ours.
SERVICE_PROVISION_SYSTEM = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
LOCATION_PHYSICAL_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ACT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason"

# Demonstration entries carry invented contacts: HL7's "test health data" label
# says so to any FHIR client, as the HL7 examples themselves do.
TEST_DATA_SECURITY = {"system": ACT_REASON_SYSTEM, "code": "HTEST", "display": "test health data"}


@dataclass(frozen=True)
class OurCodeSystem:
    id: str
    name: str  # computable name
    title: str
    description: str
    concepts: Callable[[], list[tuple[str, str]]]  # (code, display), read when served

    @property
    def url(self) -> str:
        return f"{CANONICAL_BASE}/CodeSystem/{self.id}"


def _choices(choices) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(value, str(label)) for value, label in choices.choices]


AUDIENCE_CHOICES = [
    ("patients", "Personnes atteintes d'un cancer"),
    ("relatives", "Proches et aidants"),
]
SERVICE_FEATURES = [("home_service", "À domicile")]

CARE_TYPES = OurCodeSystem(
    "soins-de-support",
    "OncoLienSoinsDeSupport",
    "Soins oncologiques de support",
    "Les 9 soins du panier INCa (4 socles, 5 complémentaires) et les soins complémentaires "
    "hors panier recensés dans l'annuaire OncoLien.",
    lambda: list(CareType.objects.order_by("position", "code").values_list("code", "name")),
)
PROFESSIONS = OurCodeSystem(
    "professions",
    "OncoLienProfessions",
    "Professions qui dispensent les soins de support",
    "Professions habilitées à dispenser les soins de support (tableau INCa).",
    lambda: list(Profession.objects.order_by("code").values_list("code", "name")),
)
LABELS = OurCodeSystem(
    "labels",
    "OncoLienLabels",
    "Labels des offres",
    "Labels d'une offre : structure labellisée pour le parcours post-cancer, Espace Ligue…",
    lambda: list(Label.objects.order_by("code").values_list("code", "name")),
)
COSTS = OurCodeSystem(
    "cout", "OncoLienCout", "Coût pour la personne", "Coût et prise en charge.", _choices(Cost)
)
ACCESS = OurCodeSystem(
    "acces", "OncoLienAcces", "Modalités d'accès", "Comment accéder à l'offre.", _choices(Access)
)
AUDIENCES = OurCodeSystem(
    "public",
    "OncoLienPublic",
    "Public de l'offre",
    "À qui l'offre s'adresse.",
    lambda: AUDIENCE_CHOICES,
)
PHASES = OurCodeSystem(
    "phases",
    "OncoLienPhases",
    "Phases du parcours",
    "Phases du parcours de soins où l'offre est proposée.",
    _choices(Phase),
)
ORGANIZATION_KINDS = OurCodeSystem(
    "types-de-structure",
    "OncoLienTypesDeStructure",
    "Types de structure",
    "Nature de la structure qui propose l'offre.",
    _choices(OrganizationKind),
)
FEATURES = OurCodeSystem(
    "caracteristiques",
    "OncoLienCaracteristiques",
    "Caractéristiques des offres",
    "Caractéristiques d'une offre (à domicile…).",
    lambda: SERVICE_FEATURES,
)

CODE_SYSTEMS = {
    system.id: system
    for system in (
        CARE_TYPES,
        PROFESSIONS,
        LABELS,
        COSTS,
        ACCESS,
        AUDIENCES,
        PHASES,
        ORGANIZATION_KINDS,
        FEATURES,
    )
}


def concept(system: OurCodeSystem | str, code: str, display: str, text: str | None = None) -> dict:
    """A CodeableConcept with one coding; `text` defaults to the display."""
    url = system.url if isinstance(system, OurCodeSystem) else system
    return {"coding": [{"system": url, "code": code, "display": display}], "text": text or display}


def code_system_resource(system: OurCodeSystem) -> dict:
    concepts = system.concepts()
    return {
        "resourceType": "CodeSystem",
        "id": system.id,
        "language": "fr",
        "url": system.url,
        "name": system.name,
        "title": system.title,
        "status": "active",
        "experimental": False,
        "publisher": "OncoLien",
        "description": system.description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts],
    }
