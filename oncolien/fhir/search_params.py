"""Parsing of FHIR search requests, shared by every searchable resource.

A resource declares what it accepts in a `SearchSpec` (its parameters, with a
French documentation reused by the CapabilityStatement); `parse_search()` reads
the query string against it and returns a `ParsedSearch` the resource's query
module applies. Unknown parameters are refused with a 400 OperationOutcome
(FHIR `handling=strict`) unless the client sends `Prefer: handling=lenient`,
in which case they are ignored and reported in the Bundle.

Values follow FHIR's rules: a comma separates alternatives (OR), a repeated
parameter adds a condition (AND), `\\,` `\\|` `\\$` and `\\\\` are escapes,
and an empty value is ignored.
"""

import re
from dataclasses import dataclass, field

from django.http import HttpRequest

from oncolien.fhir.responses import FhirError

# Parameters every search accepts besides the resource's own.
COUNT, OFFSET, SUMMARY, INCLUDE = "_count", "_offset", "_summary", "_include"
PASS_THROUGH = ("_format", "_pretty")

FHIR_ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


@dataclass(frozen=True)
class SearchParameter:
    name: str
    type: str  # FHIR SearchParamType: string, token, reference…
    documentation: str  # French, published in the CapabilityStatement
    definition: str = ""  # canonical URL of the standard SearchParameter it implements
    modifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SearchSpec:
    resource_type: str
    parameters: tuple[SearchParameter, ...]
    includes: tuple[str, ...] = ()  # e.g. "HealthcareService:organization"
    default_count: int = 20
    max_count: int = 100

    def parameter(self, name: str) -> SearchParameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class Criterion:
    """One occurrence of a parameter: any of `values` may match (OR)."""

    name: str
    modifier: str | None
    values: tuple[str, ...]


@dataclass
class ParsedSearch:
    spec: SearchSpec
    criteria: list[Criterion] = field(default_factory=list)
    count: int = 20
    offset: int = 0
    summary_count: bool = False
    includes: list[str] = field(default_factory=list)
    # Parameters left out under handling=lenient, to report in the Bundle.
    ignored: list[str] = field(default_factory=list)
    # What the self/next/previous links repeat (paging parameters excluded).
    link_params: list[tuple[str, str]] = field(default_factory=list)

    def of(self, name: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.name == name]

    @property
    def page_size(self) -> int:
        """Entries per page: none when only the total is asked for."""
        return 0 if self.summary_count else self.count


def split_unescaped(text: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped by a backslash; keep escapes."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def unescape(text: str) -> str:
    return re.sub(r"\\([\\,|$])", r"\1", text)


def _wants_lenient(request: HttpRequest) -> bool:
    # RFC 7240: preferences are separated by commas, their parameters by semicolons.
    prefer = request.headers.get("Prefer", "")
    return any(
        part.strip().lower().replace(" ", "") == "handling=lenient"
        for part in re.split(r"[,;]", prefer)
    )


def _non_negative_int(name: str, raw: str) -> int:
    if not re.fullmatch(r"\d{1,9}", raw.strip()):
        raise FhirError(
            400, "invalid", f"Le paramètre {name} attend un nombre entier positif, pas « {raw} »."
        )
    return int(raw)


def parse_search(request: HttpRequest, spec: SearchSpec) -> ParsedSearch:
    """Read the query string of a search on `spec.resource_type`.

    Raises FhirError (400) on an unknown parameter or modifier (unless lenient),
    a malformed `_count`/`_offset`, or an `_include` the resource does not offer.
    """
    lenient = _wants_lenient(request)
    parsed = ParsedSearch(spec=spec, count=spec.default_count)

    def refuse(key: str, message: str) -> None:
        if not lenient:
            raise FhirError(400, "not-supported", message)
        parsed.ignored.append(key)

    for key in request.GET:
        # FHIR ignores a parameter given without a value.
        raw_values = [value for value in request.GET.getlist(key) if value.strip()]
        if not raw_values:
            continue
        if any("\x00" in value for value in raw_values):
            # PostgreSQL text cannot hold a NUL character, and no search value has one.
            raise FhirError(
                400, "invalid", f"Le paramètre {key} contient un caractère nul (U+0000)."
            )
        if key in (COUNT, OFFSET):
            number = _non_negative_int(key, raw_values[-1])
            if key == COUNT:
                # FHIR lets a server return fewer than asked: more than the maximum
                # is served as the maximum rather than refused.
                parsed.count = min(number, spec.max_count)
            else:
                parsed.offset = number
            continue
        if key in PASS_THROUGH:
            parsed.link_params.extend((key, value) for value in raw_values)
            continue
        if key == SUMMARY:
            value = raw_values[-1].strip()
            if value == "count":
                parsed.summary_count = True
            elif value != "false":
                refuse(key, f"_summary={value} n'est pas pris en charge (seuls count et false).")
                continue
            parsed.link_params.append((key, value))
            continue
        if key == INCLUDE:
            for value in raw_values:
                if value in spec.includes:
                    parsed.includes.append(value)
                    parsed.link_params.append((key, value))
                else:
                    offered = ", ".join(spec.includes) or "aucun"
                    refuse(
                        key,
                        f"_include={value} n'est pas pris en charge pour {spec.resource_type} "
                        f"(possibles : {offered}).",
                    )
            continue
        name, _, modifier = key.partition(":")
        parameter = spec.parameter(name)
        if parameter is None:
            known = ", ".join(p.name for p in spec.parameters)
            refuse(
                key,
                f"Le paramètre de recherche « {name} » n'est pas pris en charge pour "
                f"{spec.resource_type}. Paramètres acceptés : {known}, _count, _offset, "
                "_summary, _include, _format.",
            )
            continue
        if modifier and modifier not in parameter.modifiers:
            refuse(
                key, f"Le modificateur « :{modifier} » n'est pas pris en charge pour « {name} »."
            )
            continue
        for raw in raw_values:
            values = tuple(v for v in split_unescaped(raw.strip(), ",") if v.strip())
            if values:
                parsed.criteria.append(Criterion(name, modifier or None, values))
                parsed.link_params.append((key, raw.strip()))
    return parsed


# --- Values of the usual parameter types.


@dataclass(frozen=True)
class Token:
    """`system|code`: system None = any system; "" = no system; code None = any code."""

    system: str | None
    code: str | None


def parse_token(value: str) -> Token:
    parts = split_unescaped(value, "|")
    if len(parts) == 1:
        return Token(None, unescape(parts[0]))
    system, code = unescape(parts[0]), unescape("|".join(parts[1:]))
    return Token(system, code or None)


def parse_boolean(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise FhirError(
            400, "invalid", f"Le paramètre {name} attend true ou false, pas « {value} »."
        )
    return lowered == "true"


def parse_reference(name: str, value: str, resource_type: str) -> str:
    """The id in `Type/id`, a bare `id`, or an absolute URL ending in `Type/id`.

    A reference to another resource type is an error: it can never match.
    """
    text = unescape(value).strip().rstrip("/")
    if "/" not in text:
        return text
    segments = text.split("/")
    if len(segments) >= 2 and segments[-2] == resource_type:
        return segments[-1]
    raise FhirError(
        400,
        "invalid",
        f"Le paramètre {name} attend une référence {resource_type}/[id], pas « {value} ».",
    )
