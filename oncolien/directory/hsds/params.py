"""Query parameters of the HSDS read API, checked, with a French message when wrong."""

import re
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from oncolien.directory.hsds.ids import canonical_uuid
from oncolien.directory.hsds.queries import Coverage, ServiceFilters
from oncolien.territories.lookups import POSTAL_CODE_RE

FORMATS = ("json", "ndjson")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
# An unencoded "+01:00" offset arrives as " 01:00" (a "+" in a query string is a space).
_OFFSET_AS_SPACE = re.compile(r"([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message is for the client, in French."""


def text(params, name: str) -> str:
    return params.get(name, "").strip()


def boolean(params, name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE or value == "":
        return False
    raise BadParameter(f"Le paramètre « {name} » vaut true ou false, pas « {value} ».")


def uuid(params, name: str) -> str | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    canonical = canonical_uuid(value)
    if canonical is None:
        raise BadParameter(f"Le paramètre « {name} » attend un identifiant UUID, pas « {value} ».")
    return canonical


def moment(params, name: str) -> datetime | None:
    """An ISO 8601 date-time (a date alone means its midnight), in Paris time if naive."""
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(_OFFSET_AS_SPACE.sub(r"\1+\2", value))
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(
            f"Le paramètre « {name} » attend une date ISO 8601 "
            f"(par exemple 2025-01-31 ou 2025-01-31T08:00:00Z), pas « {value} »."
        )
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def positive_number(params, name: str) -> float | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not number >= 0 or number == float("inf"):
        raise BadParameter(f"Le paramètre « {name} » attend un nombre positif, pas « {value} ».")
    return number


def output_format(params) -> str:
    value = params.get("format", "").strip().lower() or "json"
    if value not in FORMATS:
        raise BadParameter(f"Le paramètre « format » vaut json ou ndjson, pas « {value} ».")
    return value


def service_filters(params) -> ServiceFilters:
    return ServiceFilters(
        search=text(params, "search"),
        taxonomy_term_id=uuid(params, "taxonomy_term_id"),
        taxonomy_id=uuid(params, "taxonomy_id"),
        organization_id=uuid(params, "organization_id"),
        modified_after=moment(params, "modified_after"),
    )


def coverage(params) -> Coverage | None:
    """`postcode`, widened to `proximity` metres around it if given."""
    postcode = text(params, "postcode")
    proximity = positive_number(params, "proximity")
    if postcode and not POSTAL_CODE_RE.match(postcode):
        raise BadParameter(
            f"Le paramètre « postcode » attend un code postal à 5 chiffres, pas « {postcode} »."
        )
    if proximity is not None and not postcode:
        raise BadParameter("Le paramètre « proximity » (en mètres) s'emploie avec « postcode ».")
    return Coverage(postcode, proximity) if postcode else None
