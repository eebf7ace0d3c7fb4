"""French identifier systems, as the French FHIR core profiles (FR Core, Interop'Santé) name them.

Source: FR Core implementation guide, github.com/Interop-Sante/hl7.fhir.fr.core,
`input/fsh/profiles/FRCoreOrganizationProfile.fsh` (Organization.identifier
slices siret, siren, finess, idNatSt) and `FRCorePractitionerProfile.fsh`
(slices rpps, idNatPs), with the identifier types of
`input/fsh/codesystems/FRCoreCodeSystemv2-0203.fsh`.

`urn:oid:1.2.250.1.71.4.2.2` is not the SIRET: it is the ANS national structure
identifier (idNatSt), a prefixed value (1 + FINESS, 2 + SIREN, 3 + SIRET…)
issued by a registration authority. We do not build it: we cannot tell a
geographic FINESS from a legal-entity one, and a wrong idNatSt would point at
another structure. Likewise `urn:oid:1.2.250.1.71.4.2.1` is the idNatPs of a
professional (8 + RPPS), not the RPPS itself.
"""

from oncolien.directory.models import Organization

SIRENE_SYSTEM = "https://sirene.fr"  # SIRET (14 digits) and SIREN (9 digits)
FINESS_SYSTEM = "https://finess.esante.gouv.fr"
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
IDNAT_STRUCTURE_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"  # not produced, see above
IDNAT_PROFESSIONAL_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"  # not produced, see above

IDENTIFIER_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
IDENTIFIER_TYPE_DISPLAY = {
    "SIRET": "Identification de l'organisation au SIRET",
    "SIREN": "Identification de l'organisation au SIREN",
    "RPPS": "N° RPPS",
}


def _identifier(system: str, value: str, type_code: str | None, text: str) -> dict:
    identifier_type: dict = {"text": text}
    if type_code:
        coding = {
            "system": IDENTIFIER_TYPE_SYSTEM,
            "code": type_code,
            "display": IDENTIFIER_TYPE_DISPLAY[type_code],
        }
        identifier_type = {"coding": [coding], "text": text}
    return {"use": "official", "type": identifier_type, "system": system, "value": value}


def organization_identifiers(organization: Organization) -> list[dict]:
    """SIRET or SIREN, FINESS and RPPS of an organisation, those it has.

    The `siret` field holds a SIREN when only 9 digits were given (the
    identifier checks accept both). A FINESS carries no FINEJ/FINEG code
    because the directory does not record which of the two it is. An RPPS is
    that of the self-employed professional the organisation stands for; it uses
    the RPPS system of FR Core's Practitioner profile (FR Core's Organization
    slices are open, and its RPPS-rang slice needs a rang we do not have).
    """
    identifiers = []
    if organization.siret:
        kind = "SIREN" if len(organization.siret) == 9 else "SIRET"
        identifiers.append(_identifier(SIRENE_SYSTEM, organization.siret, kind, kind))
    if organization.finess:
        identifiers.append(_identifier(FINESS_SYSTEM, organization.finess, None, "FINESS"))
    if organization.rpps:
        identifiers.append(_identifier(RPPS_SYSTEM, organization.rpps, "RPPS", "RPPS"))
    return identifiers


# Organization search by `identifier=system|value`: the model field each system reads.
FIELD_BY_SYSTEM = {SIRENE_SYSTEM: "siret", FINESS_SYSTEM: "finess", RPPS_SYSTEM: "rpps"}
