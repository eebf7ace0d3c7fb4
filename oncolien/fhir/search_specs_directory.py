"""What FHIR searches over the directory accept, declared once.

The query modules parse requests against these specs, and the
CapabilityStatement publishes them, documentation included (in French, for
the people who read it).
"""

from oncolien.fhir import codesystems as cs
from oncolien.fhir.search_params import SearchParameter, SearchSpec

SP = "http://hl7.org/fhir/SearchParameter/"

ID_PARAMETER = SearchParameter(
    "_id",
    "token",
    "Identifiant logique de la ressource ; plusieurs séparés par des virgules.",
    f"{SP}Resource-id",
)


def _string_parameter(resource_type: str, what: str) -> SearchParameter:
    return SearchParameter(
        "name",
        "string",
        f"{what} commençant par le texte donné, sans tenir compte des majuscules ni des accents "
        "(« eveil » trouve « Éveil »). name:contains cherche le texte n'importe où dans le nom ; "
        "name:exact exige le nom exact.",
        f"{SP}{resource_type}-name",
        frozenset({"contains", "exact"}),
    )


HEALTHCARE_SERVICE_SEARCH = SearchSpec(
    resource_type="HealthcareService",
    parameters=(
        ID_PARAMETER,
        _string_parameter("HealthcareService", "Offres dont le nom est"),
        SearchParameter(
            "service-category",
            "token",
            f"Soin de support (code du système {cs.CARE_TYPES.url}, ex. nutrition ou "
            f"{cs.CARE_TYPES.url}|nutrition). Même critère que service-type.",
            f"{SP}HealthcareService-service-category",
        ),
        SearchParameter(
            "service-type",
            "token",
            f"Soin de support (code du système {cs.CARE_TYPES.url}, ex. psychological).",
            f"{SP}HealthcareService-service-type",
        ),
        SearchParameter(
            "specialty",
            "token",
            f"Profession qui dispense l'offre (code du système {cs.PROFESSIONS.url}, "
            "ex. dietitian).",
            f"{SP}HealthcareService-specialty",
        ),
        SearchParameter(
            "program",
            "token",
            f"Label de l'offre (code du système {cs.LABELS.url}, ex. post_cancer_programme).",
            f"{SP}HealthcareService-program",
        ),
        SearchParameter(
            "characteristic",
            "token",
            f"Caractéristique (code du système {cs.FEATURES.url} : home_service = à domicile).",
            f"{SP}HealthcareService-characteristic",
        ),
        SearchParameter(
            "organization",
            "reference",
            "Structure qui propose l'offre : Organization/[id].",
            f"{SP}HealthcareService-organization",
        ),
        SearchParameter(
            "location",
            "reference",
            "Lieu où l'offre est délivrée : Location/[id].",
            f"{SP}HealthcareService-location",
        ),
        SearchParameter(
            "coverage-area",
            "reference",
            "Commune couverte : l'offre y est délivrée (un de ses lieux s'y trouve) ou, pour "
            "une offre à domicile, la commune est desservie. Valeurs : Location/commune-[code "
            "INSEE], commune-[code INSEE], le code INSEE seul (ex. 12096), ou Location/[id] "
            "d'un lieu (sa commune est alors retenue).",
            f"{SP}HealthcareService-coverage-area",
        ),
        SearchParameter(
            "active",
            "token",
            "true ou false. Sans ce paramètre, seules les offres actives sont renvoyées ; "
            "active=false renvoie les offres inactives, active=true,false toutes.",
            f"{SP}HealthcareService-active",
        ),
    ),
    includes=(
        "HealthcareService:organization",
        "HealthcareService:location",
        "HealthcareService:coverage-area",
    ),
)

ORGANIZATION_SEARCH = SearchSpec(
    resource_type="Organization",
    parameters=(
        ID_PARAMETER,
        _string_parameter("Organization", "Structures dont le nom est"),
        SearchParameter(
            "identifier",
            "token",
            "SIRET/SIREN (https://sirene.fr|[numéro]), FINESS (https://finess.esante.gouv.fr|"
            "[numéro]) ou RPPS (https://rpps.esante.gouv.fr|[numéro]) ; sans système, le "
            "numéro est cherché dans les trois.",
            f"{SP}Organization-identifier",
        ),
        SearchParameter(
            "type",
            "token",
            f"Type de structure (code du système {cs.ORGANIZATION_KINDS.url}, ex. association).",
            f"{SP}Organization-type",
        ),
    ),
)

LOCATION_SEARCH = SearchSpec(
    resource_type="Location",
    parameters=(
        SearchParameter(
            "_id",
            "token",
            "Identifiant logique : [id] d'un lieu ou commune-[code INSEE] d'une commune ; "
            "plusieurs séparés par des virgules. Les communes ne sont renvoyées que demandées "
            "ainsi.",
            f"{SP}Resource-id",
        ),
        SearchParameter(
            "organization",
            "reference",
            "Structure qui gère le lieu : Organization/[id].",
            f"{SP}Location-organization",
        ),
    ),
)
