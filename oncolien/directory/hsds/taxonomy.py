"""The care types (soins oncologiques de support) published as one HSDS taxonomy.

Each reference `CareType` is a term whose `code` is our code. The INCa basket
gives the hierarchy: three parent terms (core cares of the basket,
complementary cares of the basket, cares outside the basket) that do not exist
as rows, each care type being the child of one of them. Services point at their
terms through HSDS attributes.
"""

import unicodedata
from dataclasses import dataclass

from oncolien.directory.hsds.ids import hsds_id
from oncolien.reference.models import CareType, ReferenceDataVersion

TAXONOMY_KEY = "care_types"
TAXONOMY_ID = hsds_id("taxonomy", TAXONOMY_KEY)
TAXONOMY_NAME = "OncoLien — soins oncologiques de support"
TAXONOMY_DESCRIPTION = (
    "Soins oncologiques de support (SOS) : les 9 soins du panier de l'Institut national "
    "du cancer (INCa), dont 4 soins socles et 5 soins complémentaires, et les soins "
    "complémentaires hors panier proposés localement (socio-esthétique, sophrologie…)."
)
# What an attribute says when it applies one of these terms to a service.
LINK_TYPE = "service_type"
LANGUAGE = "fr"


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    description: str
    # How a care type of this group says so in its own description.
    member_note: str


CORE = Group(
    "inca_core",
    "Panier INCa — soins socles",
    "Les 4 soins socles du panier INCa : douleur, diététique et nutrition, soutien "
    "psychologique, accompagnement social, familial et professionnel.",
    "panier INCa, soin socle",
)
COMPLEMENTARY = Group(
    "inca_complementary",
    "Panier INCa — soins complémentaires",
    "Les 5 soins complémentaires du panier INCa : activité physique adaptée, préservation "
    "de la fertilité, santé sexuelle, conseils d'hygiène de vie, soutien psychologique "
    "des proches et des aidants.",
    "panier INCa, soin complémentaire",
)
OUTSIDE = Group(
    "outside_basket",
    "Soins complémentaires hors panier INCa",
    "Soins de support proposés localement en dehors du panier INCa.",
    "hors panier INCa",
)
GROUPS = (CORE, COMPLEMENTARY, OUTSIDE)


def group_of(care_type: CareType) -> Group:
    if not care_type.basket:
        return OUTSIDE
    return CORE if care_type.is_core else COMPLEMENTARY


def group_id(group: Group) -> str:
    return hsds_id("taxonomy_term", "group", group.code)


def care_type_term_id(care_type_pk: int) -> str:
    return hsds_id("taxonomy_term", care_type_pk)


def fold(text: str) -> str:
    """Lower-case, accent-free text, for the `search` parameter on small lists."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass(frozen=True)
class CareTaxonomy:
    """The taxonomy object of this request, and the term objects built from it."""

    taxonomy: dict

    def _term(self, **fields) -> dict:
        return {
            **fields,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": TAXONOMY_ID,
            "language": LANGUAGE,
            "taxonomy_detail": self.taxonomy,
        }

    def group_term(self, group: Group) -> dict:
        return self._term(
            id=group_id(group), code=group.code, name=group.name, description=group.description
        )

    def term(self, care_type: CareType) -> dict:
        group = group_of(care_type)
        summary = care_type.short_description or care_type.name
        return self._term(
            id=care_type_term_id(care_type.pk),
            code=care_type.code,
            name=care_type.name,
            description=f"{summary} ({group.member_note})",
            parent_id=group_id(group),
        )

    def terms(self, care_types) -> list[dict]:
        """The parent terms first, then the care types in the given order."""
        return [self.group_term(group) for group in GROUPS] + [
            self.term(care_type) for care_type in care_types
        ]


def care_taxonomy(*, uri: str | None = None) -> CareTaxonomy:
    """The taxonomy, its version being the reference data version in force (one query)."""
    version = ReferenceDataVersion.objects.order_by("-loaded_at").values_list("version", flat=True)[
        :1
    ]
    taxonomy = {"id": TAXONOMY_ID, "name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION}
    if uri:
        taxonomy["uri"] = uri
    if version:
        taxonomy["version"] = version[0]
    return CareTaxonomy(taxonomy)


def care_types_for_terms(care_types, term_id: str | None):
    """The care types a `taxonomy_term_id` designates: itself, or a parent's children.

    `care_types` is a queryset of CareType; an unknown term designates none.
    """
    if term_id is None:
        return care_types
    for group in GROUPS:
        if term_id == group_id(group):
            if group is OUTSIDE:
                return care_types.filter(basket=False)
            return care_types.filter(basket=True, is_core=group is CORE)
    pks = [pk for pk in care_types.values_list("pk", flat=True) if care_type_term_id(pk) == term_id]
    return care_types.filter(pk__in=pks)


def _matches(record: dict, search: str) -> bool:
    haystack = fold(" ".join(str(record.get(key, "")) for key in ("code", "name", "description")))
    return all(word in haystack for word in fold(search).split())


def select_taxonomies(taxonomies: list[dict], *, search: str) -> list[dict]:
    return [taxonomy for taxonomy in taxonomies if _matches(taxonomy, search)]


def select_terms(
    terms: list[dict],
    *,
    search: str = "",
    taxonomy_id: str | None = None,
    parent_id: str | None = None,
    top_only: bool = False,
) -> list[dict]:
    """The `/taxonomy_terms` filters: accent-insensitive words, taxonomy, parent, top level.

    `top_only` keeps the terms that have no parent (the three basket groups):
    the top of the hierarchy, as the parameter's name says.
    """
    return [
        term
        for term in terms
        if (taxonomy_id is None or term["taxonomy_id"] == taxonomy_id)
        and (parent_id is None or term.get("parent_id") == parent_id)
        and not (top_only and term.get("parent_id"))
        and _matches(term, search)
    ]
