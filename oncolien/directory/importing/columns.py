"""The columns of an import (and of an export): one table, shown on the import page.

One row of a file is one service (offre) at one location (lieu) of one
organisation (structure). Headers are compared without accents, case or
punctuation, so « Structure nom », « STRUCTURE_NOM » and « structure-nom » are
the same column; the French label of a column is accepted as its header too.

A column left out of the file leaves that field of the existing entries as it
is; a column present with an empty cell empties the field (or gives its default
for a new entry). COLUMNS.md, next to this file, is the same table in prose.
"""

from dataclasses import dataclass

from oncolien.directory.models import Access, Cost, OrganizationKind, ServiceStatus
from oncolien.reference.models import Phase
from oncolien.territories.lookups import normalize_name

ORGANIZATION, SERVICE, LOCATION = "structure", "offre", "lieu"
GROUP_TITLES = {
    ORGANIZATION: "La structure",
    SERVICE: "L'offre",
    LOCATION: "Le lieu",
}
LIST_SEPARATORS_HELP = "séparés par « | » (ou par des virgules)"


@dataclass(frozen=True)
class Column:
    name: str  # the header written by the export and the template
    group: str  # ORGANIZATION, SERVICE or LOCATION
    label: str  # French label, accepted as a header too
    description: str  # what the cell holds and which values are accepted (French)
    example: str = ""
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "structure_nom",
        ORGANIZATION,
        "Nom de la structure",
        "Nom de l'association, de l'établissement ou du professionnel. Avec la CPTS, il "
        "identifie la structure (sauf si un SIRET ou un FINESS est indiqué).",
        "Association Exemple — soins de support",
        required=True,
    ),
    Column(
        "structure_type",
        ORGANIZATION,
        "Type de structure",
        "Établissement de santé, association, libéral, MSP, centre de santé, CPTS, "
        "sport-santé, service public ou social, autre (libellé ou code).",
        "association",
        required=True,
    ),
    Column(
        "structure_siret",
        ORGANIZATION,
        "SIRET",
        "SIRET (14 chiffres) ou SIREN (9 chiffres), clé de contrôle vérifiée ; "
        "identifie la structure quand il est indiqué.",
        "12345678200010",
    ),
    Column(
        "structure_finess",
        ORGANIZATION,
        "FINESS",
        "Numéro FINESS (9 caractères) ; une clé douteuse est signalée sans bloquer.",
        "129999991",
    ),
    Column(
        "structure_rpps",
        ORGANIZATION,
        "RPPS",
        "Numéro RPPS d'un professionnel (11 chiffres) ; une clé douteuse est signalée "
        "sans bloquer.",
        "10003381430",
    ),
    Column("structure_courriel", ORGANIZATION, "Courriel de la structure", "Adresse électronique."),
    Column(
        "structure_telephone",
        ORGANIZATION,
        "Téléphone de la structure",
        "Numéro français (ou international avec +).",
        "05 99 00 12 34",
    ),
    Column("structure_site_web", ORGANIZATION, "Site web de la structure", "Adresse web."),
    Column(
        "structure_presentation",
        ORGANIZATION,
        "Présentation de la structure",
        "Quelques phrases de présentation.",
    ),
    Column(
        "offre_nom",
        SERVICE,
        "Nom de l'offre",
        "Nom de la prestation. Avec la structure, il identifie l'offre : réimporter le "
        "même fichier met l'offre à jour au lieu de la dupliquer.",
        "Consultations diététiques",
        required=True,
    ),
    Column("offre_description", SERVICE, "Description de l'offre", "Texte libre."),
    Column(
        "soins",
        SERVICE,
        "Soins de support",
        f"Au moins un soin de support : codes ou noms du référentiel, {LIST_SEPARATORS_HELP}.",
        "nutrition | Activité physique",
        required=True,
    ),
    Column(
        "professions",
        SERVICE,
        "Professions",
        f"Professions qui dispensent l'offre : codes ou noms du référentiel, "
        f"{LIST_SEPARATORS_HELP}.",
        "dietitian | Psychologue",
    ),
    Column(
        "public",
        SERVICE,
        "Public",
        f"« patients », « proches et aidants », ou les deux {LIST_SEPARATORS_HELP}. "
        "Vide : patients.",
        "patients | proches et aidants",
    ),
    Column(
        "phases",
        SERVICE,
        "Phases du parcours",
        f"« diagnostic », « traitement », « après traitement », {LIST_SEPARATORS_HELP}. "
        "Vide : les trois phases.",
        "traitement | après traitement",
    ),
    Column(
        "acces",
        SERVICE,
        "Accès",
        "« direct », « orientation » (sur orientation d'un professionnel) ou "
        "« prescription » (sur prescription médicale). Vide : accès direct.",
        "direct",
    ),
    Column(
        "cout",
        SERVICE,
        "Coût",
        "« gratuit », « remboursé » (par l'Assurance Maladie), « association » (financé par "
        "une association) ou « reste à charge » (le montant est alors obligatoire).",
        "reste à charge",
        required=True,
    ),
    Column(
        "reste_a_charge",
        SERVICE,
        "Montant du reste à charge (€)",
        "Montant en euros, seulement quand le coût est « reste à charge ».",
        "25,50",
    ),
    Column("cout_precisions", SERVICE, "Précisions sur le coût", "Texte libre (250 caractères)."),
    Column(
        "labels",
        SERVICE,
        "Labels",
        f"Codes ou noms : post_cancer_programme (structure labellisée parcours post-cancer), "
        f"espace_ligue, maison_sport_sante, {LIST_SEPARATORS_HELP}.",
        "espace_ligue",
    ),
    Column(
        "a_domicile",
        SERVICE,
        "À domicile",
        "« oui » si l'offre se déroule au domicile du patient. Vide : non.",
        "non",
    ),
    Column(
        "communes_desservies",
        SERVICE,
        "Communes desservies",
        f"Pour une offre à domicile : codes INSEE des communes, {LIST_SEPARATORS_HELP}.",
        "12096 | 12119",
    ),
    Column("offre_courriel", SERVICE, "Courriel de l'offre", "Adresse électronique."),
    Column("offre_telephone", SERVICE, "Téléphone de l'offre", "Numéro de téléphone."),
    Column("offre_page_web", SERVICE, "Page web de l'offre", "Adresse web."),
    Column(
        "statut",
        SERVICE,
        "Statut",
        "« active » ou « inactive » (une offre inactive n'est pas publiée). Vide : active.",
        "active",
    ),
    Column(
        "verifiee_le",
        SERVICE,
        "Vérifiée le",
        "Date de la dernière vérification, JJ/MM/AAAA ou AAAA-MM-JJ (pas dans le futur). "
        "Au-delà d'un an, l'offre s'affiche « à vérifier ».",
        "15/01/2026",
    ),
    Column("lieu_nom", LOCATION, "Nom du lieu", "Par exemple « Espace Ligue »."),
    Column("lieu_adresse", LOCATION, "Adresse", "Numéro et rue.", "2 avenue de la Gare"),
    Column("lieu_code_postal", LOCATION, "Code postal", "5 chiffres.", "12500"),
    Column(
        "lieu_commune_insee",
        LOCATION,
        "Code INSEE de la commune",
        "Code INSEE de la commune du lieu (5 caractères). Sinon, indiquez le nom de la "
        "commune et le code postal. Une offre à domicile peut n'avoir aucun lieu.",
        "12096",
    ),
    Column(
        "lieu_commune",
        LOCATION,
        "Commune",
        "Nom de la commune, avec le code postal quand plusieurs communes portent ce nom.",
        "Espalion",
    ),
    Column(
        "lieu_latitude",
        LOCATION,
        "Latitude",
        "Facultative, avec la longitude (degrés décimaux). Vide : centre de la commune.",
        "44,5225",
    ),
    Column("lieu_longitude", LOCATION, "Longitude", "Facultative, avec la latitude.", "2,7633"),
    Column("lieu_accessibilite", LOCATION, "Accessibilité", "Accès PMR, transports…"),
    Column("lieu_horaires", LOCATION, "Horaires", "Texte libre.", "Lundi et jeudi, 9 h – 17 h"),
    Column("lieu_telephone", LOCATION, "Téléphone du lieu", "Numéro de téléphone."),
    Column("lieu_courriel", LOCATION, "Courriel du lieu", "Adresse électronique."),
)

COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
HEADERS = [column.name for column in COLUMNS]
# A location needs one of these columns in the file (its commune).
COMMUNE_COLUMNS = ("lieu_commune_insee", "lieu_commune")


def normalize_header(text: str) -> str:
    """« Structure – Nom », « STRUCTURE_NOM » -> « structure_nom »."""
    return normalize_name(str(text or "")).replace(" ", "_")


_HEADER_LOOKUP = {
    **{normalize_header(column.label): column.name for column in COLUMNS},
    **{normalize_header(column.name): column.name for column in COLUMNS},
}


def column_for_header(header: str) -> str | None:
    """The column name a header stands for, or None for an unknown header."""
    return _HEADER_LOOKUP.get(normalize_header(header))


def columns_by_group() -> list[tuple[str, list[Column]]]:
    return [
        (title, [column for column in COLUMNS if column.group == group])
        for group, title in GROUP_TITLES.items()
    ]


# --- Accepted words for the columns with a fixed set of values. Each maps to a
# code; the French labels of the model choices are accepted too (see `choice_words`).

KIND_WORDS = {
    OrganizationKind.HEALTH_ESTABLISHMENT: ["hôpital", "clinique", "établissement"],
    OrganizationKind.SELF_EMPLOYED: ["libéral", "libérale", "professionnel libéral"],
    OrganizationKind.MSP: ["maison de santé"],
    OrganizationKind.SPORT_HEALTH: ["sport-santé", "sport santé"],
    OrganizationKind.PUBLIC_SERVICE: ["service public", "CCAS", "CPAM"],
    OrganizationKind.OTHER: ["autre"],
}
ACCESS_WORDS = {
    Access.DIRECT: ["direct", "libre"],
    Access.REFERRAL: ["orientation", "sur orientation"],
    Access.PRESCRIPTION: ["prescription", "sur prescription", "ordonnance"],
}
COST_WORDS = {
    Cost.FREE: ["gratuite"],
    Cost.REIMBURSED: ["remboursé", "remboursée", "pris en charge"],
    Cost.ASSOCIATION_FUNDED: ["association", "financé par l'association"],
    Cost.REMAINING_COST: ["reste à charge", "payant", "payante"],
}
STATUS_WORDS = {
    ServiceStatus.ACTIVE: ["actif", "publiée"],
    ServiceStatus.INACTIVE: ["inactif", "non publiée"],
}
PATIENTS, RELATIVES = "patients", "relatives"
AUDIENCE_WORDS = {
    PATIENTS: ["patients", "patient", "patiente", "patientes"],
    RELATIVES: ["proches et aidants", "proches", "proche", "aidants", "aidant", "entourage"],
}
PHASE_WORDS = {
    Phase.DIAGNOSIS: ["diagnostic", "diagnostique", "phase diagnostique"],
    Phase.TREATMENT: ["traitement", "pendant le traitement", "traitement actif"],
    Phase.AFTER_TREATMENT: [
        "après traitement",
        "après le traitement",
        "après-cancer",
        "après cancer",
    ],
}
# What the export writes, i.e. the first accepted word.
AUDIENCE_EXPORT = {code: words[0] for code, words in AUDIENCE_WORDS.items()}
PHASE_EXPORT = {code: words[0] for code, words in PHASE_WORDS.items()}
PHASE_FIELDS = {
    Phase.DIAGNOSIS: "phase_diagnosis",
    Phase.TREATMENT: "phase_treatment",
    Phase.AFTER_TREATMENT: "phase_after_treatment",
}
TRUE_WORDS = {"oui", "o", "vrai", "x", "1", "yes", "true"}
FALSE_WORDS = {"non", "n", "faux", "0", "no", "false"}


def choice_words(choices=None, extra: dict | None = None) -> dict[str, str]:
    """Normalised accepted word -> code: the codes, the labels (also without their
    parenthesis, « Établissement de santé »), and the extra words."""
    words: dict[str, str] = {}
    for code, label in getattr(choices, "choices", []):
        for word in (code, label, label.split(" (")[0]):
            words.setdefault(normalize_name(word), code)
    for code, extra_words in (extra or {}).items():
        words.setdefault(normalize_name(code), code)
        for word in extra_words:
            words.setdefault(normalize_name(word), code)
    return words
