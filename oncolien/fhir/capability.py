"""The CapabilityStatement served at `[base]/metadata`.

It is generated from the same `SearchSpec`s the searches parse with, so that
what the server says it accepts is what it accepts. A later FHIR resource
(Questionnaire, ServiceRequest, Task…) adds one `ResourceCapability` to
`RESOURCES`.
"""

from dataclasses import dataclass
from importlib import metadata
from typing import Any

from oncolien.fhir.codesystems import CODE_SYSTEMS
from oncolien.fhir.responses import FHIR_JSON, FHIR_VERSION
from oncolien.fhir.search_params import SearchSpec
from oncolien.fhir.search_specs_directory import (
    HEALTHCARE_SERVICE_SEARCH,
    LOCATION_SEARCH,
    ORGANIZATION_SEARCH,
)

# When the content of this statement last changed (CapabilityStatement.date).
STATEMENT_DATE = "2026-11-23"

REST_DOCUMENTATION = (
    "Annuaire des soins oncologiques de support d'OncoLien, en lecture seule et sans "
    "authentification. Recherche : les paramètres inconnus sont refusés (400, "
    "OperationOutcome) sauf si le client envoie l'en-tête « Prefer: handling=lenient » : ils "
    "sont alors ignorés et signalés dans le Bundle. Pagination par _count (20 par défaut, 100 "
    "au plus ; 0 ou _summary=count pour le seul total) et _offset (rang du premier résultat, "
    "à partir de 0) ; suivez les liens next/previous/first/last du Bundle. Résultats triés par "
    "nom puis identifiant. Une virgule sépare des valeurs alternatives (OU), un paramètre "
    "répété ajoute une condition (ET). Les codes des soins de support, professions, labels, "
    "coûts, accès, publics et phases sont des systèmes de codes d'OncoLien, publiés en "
    "ressources CodeSystem. Les communes sont des ressources Location d'identifiant "
    "commune-[code INSEE]. Les entrées de démonstration portent le label de sécurité HTEST."
)


@dataclass(frozen=True)
class ResourceCapability:
    type: str
    documentation: str
    search: SearchSpec | None = None


RESOURCES = [
    ResourceCapability(
        "HealthcareService",
        "Une offre de soins de support : soins (category/type), professions (specialty), "
        "public, phases et conditions d'accès (eligibility), coût (serviceProvisionCode), "
        "labels (program), communes couvertes (coverageArea).",
        HEALTHCARE_SERVICE_SEARCH,
    ),
    ResourceCapability(
        "Organization",
        "La structure qui propose des offres, avec SIRET/SIREN (https://sirene.fr), FINESS "
        "(https://finess.esante.gouv.fr) et RPPS (https://rpps.esante.gouv.fr) quand elle en a.",
        ORGANIZATION_SEARCH,
    ),
    ResourceCapability(
        "Location",
        "Un lieu où des offres sont délivrées, ou une commune (commune-[code INSEE], code INSEE "
        "dans address.district) couverte par des offres.",
        LOCATION_SEARCH,
    ),
    ResourceCapability(
        "ServiceRequest",
        "Une orientation vers un soin de support (utilisateurs connectés qui voient le "
        "parcours) : soin (code), offre de l'annuaire (performer), message (note).",
    ),
    ResourceCapability(
        "Task",
        "Le suivi d'une orientation : statut FHIR (draft, requested, accepted, rejected, "
        "in-progress, completed, failed, cancelled), statut OncoLien dans businessStatus, motif "
        "dans statusReason, date du rendez-vous dans restriction.period.start.",
    ),
    ResourceCapability(
        "Questionnaire",
        "Les questionnaires d'évaluation des besoins en soins de support (identifiant "
        "[code]-[version], url canonique https://oncolien.fr/fhir/Questionnaire/[code]), en "
        "lecture sans authentification. Échelles 0–10 en integer (minValue/maxValue).",
    ),
    ResourceCapability(
        "QuestionnaireResponse",
        "Une évaluation des besoins (utilisateurs connectés qui voient le parcours) : "
        "questionnaire (url|version), statut in-progress ou completed, réponses ; le sujet est "
        "le parcours, jamais le nom du patient.",
    ),
    ResourceCapability(
        "CodeSystem",
        "Les systèmes de codes d'OncoLien : " + ", ".join(sorted(CODE_SYSTEMS)) + ".",
    ),
]


def _software_version() -> str:
    try:
        return metadata.version("oncolien")
    except metadata.PackageNotFoundError:
        return "développement"


def _resource_entry(resource: ResourceCapability) -> dict:
    entry: dict[str, Any] = {
        "type": resource.type,
        "documentation": resource.documentation,
        "interaction": [{"code": "read"}],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
    }
    spec = resource.search
    if spec is not None:
        entry["interaction"].append({"code": "search-type"})
        if spec.includes:
            entry["searchInclude"] = list(spec.includes)
        entry["searchParam"] = [
            {
                "name": parameter.name,
                **({"definition": parameter.definition} if parameter.definition else {}),
                "type": parameter.type,
                "documentation": parameter.documentation,
            }
            for parameter in spec.parameters
        ]
    return entry


def capability_statement(*, base_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "id": "oncolien",
        "language": "fr",
        "url": f"{base_url}/metadata",
        "name": "OncoLienServeurFHIR",
        "title": "OncoLien — serveur FHIR de l'annuaire des soins de support",
        "status": "active",
        "experimental": False,
        "date": STATEMENT_DATE,
        "publisher": "OncoLien",
        "description": (
            "Offres de soins oncologiques de support recensées par les CPTS, leurs structures "
            "et leurs lieux, en FHIR R4 (JSON)."
        ),
        "kind": "instance",
        "software": {"name": "OncoLien", "version": _software_version()},
        "implementation": {
            "description": "OncoLien — annuaire des soins oncologiques de support",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json", FHIR_JSON],
        "rest": [
            {
                "mode": "server",
                "documentation": REST_DOCUMENTATION,
                "security": {
                    "cors": False,
                    "description": (
                        "Annuaire : lecture publique sans authentification. ServiceRequest et "
                        "Task (données de patients) : session ouverte et accès au parcours, "
                        "sinon 404."
                    ),
                },
                "resource": [_resource_entry(resource) for resource in RESOURCES],
            }
        ],
    }
