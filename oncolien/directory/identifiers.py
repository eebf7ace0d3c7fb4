"""Checks of the identifiers and contacts a directory entry carries.

SIREN/SIRET are checked with python-stdnum and refused when invalid. RPPS (11
digits) and FINESS (9 characters) have their format enforced, but a failed check
digit is only a warning: the public descriptions of their keys are not reliable
enough to turn away a real provider.
"""

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret


@dataclass(frozen=True)
class IdentifierCheck:
    value: str  # normalised
    error: str | None = None  # refuse
    warning: str | None = None  # accept, but show


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def check_siret(value: str) -> IdentifierCheck:
    """SIRET (14 digits) or SIREN (9 digits), checked by python-stdnum."""
    number = _compact(value)
    if not number:
        return IdentifierCheck("")
    try:
        if len(number) == 9:
            return IdentifierCheck(siren.validate(number))
        return IdentifierCheck(siret.validate(number))
    except StdnumError:
        return IdentifierCheck(
            number, error=f"SIRET/SIREN invalide : « {value} » (14 ou 9 chiffres, clé de contrôle)."
        )


def check_rpps(value: str) -> IdentifierCheck:
    number = _compact(value)
    if not number:
        return IdentifierCheck("")
    if not re.fullmatch(r"\d{11}", number):
        return IdentifierCheck(number, error=f"RPPS invalide : « {value} » (11 chiffres attendus).")
    if not luhn.is_valid(number):
        return IdentifierCheck(
            number, warning=f"La clé du RPPS {number} semble incorrecte : vérifiez le numéro."
        )
    return IdentifierCheck(number)


def check_finess(value: str) -> IdentifierCheck:
    number = _compact(value)
    if not number:
        return IdentifierCheck("")
    if not re.fullmatch(r"(\d{2}|2A|2B)\d{7}", number):
        return IdentifierCheck(
            number,
            error=f"FINESS invalide : « {value} » (9 caractères : département puis 7 chiffres).",
        )
    # Corsica's 2A/2B count as 20 for the key.
    digits = number.replace("2A", "20", 1).replace("2B", "20", 1)
    if not luhn.is_valid(digits):
        return IdentifierCheck(
            number, warning=f"La clé du FINESS {number} semble incorrecte : vérifiez le numéro."
        )
    return IdentifierCheck(number)


def check_phone(value: str) -> IdentifierCheck:
    """A French (or international) phone number, normalised to its national format."""
    raw = (value or "").strip()
    if not raw:
        return IdentifierCheck("")
    try:
        parsed = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return IdentifierCheck(raw, error=f"Numéro de téléphone invalide : « {value} ».")
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return IdentifierCheck(phonenumbers.format_number(parsed, fmt))
