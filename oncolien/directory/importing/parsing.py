"""One cell -> one typed value, or CellError with a French message for the user."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from oncolien.directory.importing.columns import FALSE_WORDS, TRUE_WORDS
from oncolien.territories.lookups import normalize_name

# "|" always separates; newlines and ";" too. Commas separate only when the
# text between them is not a known name on its own: some reference names hold a
# comma (« Prise en charge sociale, familiale et professionnelle »).
_STRONG_SEPARATORS = re.compile(r"[|;\n]")
MAX_AMOUNT = Decimal("999999.99")


class CellError(ValueError):
    """A cell that cannot be read; the message is French."""


def text(value: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if max_length and len(value) > max_length:
        raise CellError(f"{max_length} caractères au plus ({len(value)} ici).")
    return value


def items(value: str) -> list[str]:
    """The pieces of a list cell, split on every separator (for codes)."""
    return [piece.strip() for piece in re.split(r"[|;,\n\s]+", value or "") if piece.strip()]


def resolve_names(value: str, known: dict[str, object], *, unknown: tuple[str, str]) -> list:
    """Objects named in a list cell, by code or name (normalised), without repeats.

    `known` maps a normalised code or name to its object; `unknown` is the start of
    the message, singular and plural, agreed in gender (« profession inconnue »,
    « professions inconnues »).
    """
    found, missing = [], []
    for part in _STRONG_SEPARATORS.split(value or ""):
        pieces = [piece.strip() for piece in part.split(",")]
        start = 0
        while start < len(pieces):
            # The longest run of comma-separated pieces that is a known name.
            for end in range(len(pieces), start, -1):
                candidate = normalize_name(",".join(pieces[start:end]))
                if candidate in known:
                    if known[candidate] not in found:
                        found.append(known[candidate])
                    start = end
                    break
            else:
                if pieces[start]:
                    missing.append(pieces[start])
                start += 1
    if missing:
        names = ", ".join(f"« {name} »" for name in missing)
        raise CellError(f"{unknown[len(missing) > 1]} : {names}.")
    return found


def choice(value: str, words: dict[str, str], *, default: str | None = None) -> str | None:
    value = (value or "").strip()
    if not value:
        return default
    code = words.get(normalize_name(value))
    if code is None:
        raise CellError(f"valeur inconnue « {value} ».")
    return code


def boolean(value: str, *, default: bool) -> bool:
    word = normalize_name(value or "")
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"« {value} » : indiquez « oui » ou « non ».")


def day(value: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value) or re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})", value
    )
    try:
        if match is None:
            raise ValueError
        first, second, third = (int(group) for group in match.groups())
        parsed = date(third, second, first) if "/" in value else date(first, second, third)
    except ValueError:
        raise CellError(f"date invalide « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ attendu).") from None
    if parsed > timezone.localdate():
        raise CellError(f"la date « {value} » est dans le futur.")
    return parsed


def amount(value: str) -> Decimal | None:
    raw = (value or "").strip()
    if not raw:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f€]|EUR", "", raw, flags=re.IGNORECASE).replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"montant invalide « {raw} » (ex. 25,50).") from None
    if not number.is_finite() or number < 0 or number > MAX_AMOUNT:
        raise CellError(f"montant invalide « {raw} » (entre 0 et 999 999,99 €).")
    return number.quantize(Decimal("0.01"))


def decimal_degrees(value: str, *, limit: float) -> float | None:
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise CellError(f"« {raw} » n'est pas un nombre (ex. 44,5225).") from None
    if not -limit <= number <= limit:
        raise CellError(f"« {raw} » est hors des bornes (-{limit:g} à {limit:g}).")
    return number


def email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"adresse électronique invalide « {value} ».") from None
    return value


def url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    # « www.exemple.fr » is how people write an address; the field needs a scheme.
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, flags=re.IGNORECASE):
        value = f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise CellError(f"adresse web invalide « {value} ».") from None
    if len(value) > 200:
        raise CellError("adresse web trop longue (200 caractères au plus).")
    return value
