"""One row of the file -> the field values of its organisation, service and location.

Every problem becomes a French message naming the column, so that the person
who fixes the file knows where to look. Checks that need other rows (duplicates,
consistency) or the directory (what exists) live in ``validation``.
"""

import math
from dataclasses import dataclass, field

from oncolien.directory import identifiers
from oncolien.directory.importing import parsing
from oncolien.directory.importing.columns import (
    ACCESS_WORDS,
    AUDIENCE_WORDS,
    COLUMN_BY_NAME,
    COST_WORDS,
    KIND_WORDS,
    LOCATION,
    PATIENTS,
    PHASE_FIELDS,
    PHASE_WORDS,
    RELATIVES,
    STATUS_WORDS,
    choice_words,
)
from oncolien.directory.importing.parsing import CellError
from oncolien.directory.models import (
    Access,
    Cost,
    Label,
    Location,
    Organization,
    OrganizationKind,
    Service,
    ServiceStatus,
)
from oncolien.reference.models import CareType, Profession
from oncolien.territories.lookups import (
    INSEE_CODE_RE,
    POSTAL_CODE_RE,
    normalize_name,
)
from oncolien.territories.models import Commune

# Coordinates farther than this from the commune's centre are probably a typo.
FAR_FROM_COMMUNE_KM = 30
LOCATION_COLUMNS = [name for name, column in COLUMN_BY_NAME.items() if column.group == LOCATION]


@dataclass
class ParsedRow:
    line: int
    cells: dict[str, str]  # column name -> text, for the columns present in the file
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organization: dict = field(default_factory=dict)  # model field -> value
    service: dict = field(default_factory=dict)  # scalar model fields
    service_relations: dict = field(default_factory=dict)  # care_types, professions…
    location: dict | None = None  # None: the row names no place (home service)

    @property
    def ok(self) -> bool:
        return not self.errors


def _names(queryset, field_name: str = "name") -> dict[str, object]:
    known: dict[str, object] = {}
    for obj in queryset:
        known.setdefault(normalize_name(obj.code), obj)
        known.setdefault(normalize_name(getattr(obj, field_name)), obj)
    return known


class Lookups:
    """The reference data and communes a validation needs, loaded once for all rows."""

    def __init__(self):
        self.care_types = _names(CareType.objects.filter(active=True))
        self.professions = _names(Profession.objects.filter(active=True))
        self.labels = _names(Label.objects.all())
        self.kinds = choice_words(OrganizationKind, KIND_WORDS)
        self.access = choice_words(Access, ACCESS_WORDS)
        self.costs = choice_words(Cost, COST_WORDS)
        self.statuses = choice_words(ServiceStatus, STATUS_WORDS)
        self.audiences = choice_words(None, AUDIENCE_WORDS)
        self.phases = choice_words(None, PHASE_WORDS)
        self._communes: dict[str, Commune | None] = {}
        self._postal_codes: dict[int, set[str]] = {}

    def commune(self, insee_code: str) -> Commune | None:
        if insee_code not in self._communes:
            self._communes[insee_code] = (
                Commune.objects.select_related("department").filter(insee_code=insee_code).first()
            )
        return self._communes[insee_code]

    def communes_named(self, name: str, postal_code: str) -> list[Commune]:
        communes = Commune.objects.select_related("department").filter(
            search_name=normalize_name(name)
        )
        if postal_code:
            communes = communes.filter(postal_codes__code=postal_code)
        return list(communes.distinct().order_by("insee_code"))

    def postal_codes(self, commune: Commune) -> set[str]:
        if commune.pk not in self._postal_codes:
            self._postal_codes[commune.pk] = set(
                commune.postal_codes.values_list("code", flat=True)
            )
        return self._postal_codes[commune.pk]


def _max_length(model, field_name: str) -> int | None:
    return model._meta.get_field(field_name).max_length


class _RowParser:
    """Reads the cells of one row; each failed cell adds one message and no value."""

    def __init__(self, row: ParsedRow, lookups: Lookups):
        self.row, self.lookups = row, lookups

    def present(self, column: str) -> bool:
        return column in self.row.cells

    def cell(self, column: str) -> str:
        return self.row.cells.get(column, "")

    def error(self, column: str, message: str) -> None:
        self.row.errors.append(f"{column} : {message}")

    def read(self, column: str, reader, *args, **kwargs):
        """The value of a cell read by `reader`, or parsing.CellError -> message, None."""
        try:
            return reader(self.cell(column), *args, **kwargs)
        except CellError as problem:
            self.error(column, str(problem))
            return None

    def put(self, target: dict, column: str, field_name: str, reader, *args, **kwargs) -> None:
        """Set target[field_name] from the column when the file has the column."""
        if not self.present(column):
            return
        value = self.read(column, reader, *args, **kwargs)
        if value is not None:
            target[field_name] = value

    def required(self, column: str, what: str) -> bool:
        if self.cell(column).strip():
            return True
        self.error(column, f"{what} est obligatoire.")
        return False

    def identifier(self, target: dict, column: str, field_name: str, check) -> None:
        if not self.present(column):
            return
        result = check(self.cell(column))
        if result.error:
            self.error(column, result.error)
            return
        if result.warning:
            self.row.warnings.append(f"{column} : {result.warning}")
        target[field_name] = result.value


def parse_row(line: int, cells: dict[str, str], lookups: Lookups) -> ParsedRow:
    row = ParsedRow(line=line, cells=cells)
    parser = _RowParser(row, lookups)
    _organization(parser)
    _service(parser)
    _location(parser)
    return row


def _organization(p: _RowParser) -> None:
    values = p.row.organization
    if p.required("structure_nom", "Le nom de la structure"):
        p.put(
            values,
            "structure_nom",
            "name",
            parsing.text,
            max_length=_max_length(Organization, "name"),
        )
    if p.required("structure_type", "Le type de structure"):
        p.put(values, "structure_type", "kind", parsing.choice, p.lookups.kinds)
    p.identifier(values, "structure_siret", "siret", identifiers.check_siret)
    p.identifier(values, "structure_finess", "finess", identifiers.check_finess)
    p.identifier(values, "structure_rpps", "rpps", identifiers.check_rpps)
    p.identifier(values, "structure_telephone", "phone", identifiers.check_phone)
    p.put(values, "structure_courriel", "email", parsing.email)
    p.put(values, "structure_site_web", "website", parsing.url)
    p.put(values, "structure_presentation", "description", parsing.text)


def _service(p: _RowParser) -> None:
    values, relations, lookups = p.row.service, p.row.service_relations, p.lookups
    if p.required("offre_nom", "Le nom de l'offre"):
        p.put(values, "offre_nom", "name", parsing.text, max_length=_max_length(Service, "name"))
    p.put(values, "offre_description", "description", parsing.text)
    if p.required("soins", "Au moins un soin de support"):
        p.put(
            relations,
            "soins",
            "care_types",
            parsing.resolve_names,
            lookups.care_types,
            unknown=("soin de support inconnu", "soins de support inconnus"),
        )
    p.put(
        relations,
        "professions",
        "professions",
        parsing.resolve_names,
        lookups.professions,
        unknown=("profession inconnue", "professions inconnues"),
    )
    p.put(
        relations,
        "labels",
        "labels",
        parsing.resolve_names,
        lookups.labels,
        unknown=("label inconnu", "labels inconnus"),
    )
    _audience(p)
    _phases(p)
    p.put(values, "acces", "access", parsing.choice, lookups.access, default=Access.DIRECT)
    if p.required("cout", "Le coût"):
        p.put(values, "cout", "cost", parsing.choice, lookups.costs)
    p.put(values, "cout_precisions", "cost_details", parsing.text, max_length=250)
    p.put(
        values, "statut", "status", parsing.choice, lookups.statuses, default=ServiceStatus.ACTIVE
    )
    p.put(values, "verifiee_le", "last_verified_on", parsing.day)
    if p.present("verifiee_le") and not p.cell("verifiee_le").strip():
        values["last_verified_on"] = None
    p.put(values, "offre_courriel", "email", parsing.email)
    p.identifier(values, "offre_telephone", "phone", identifiers.check_phone)
    p.put(values, "offre_page_web", "url", parsing.url)
    _cost_amount(p)
    _home(p)


def _audience(p: _RowParser) -> None:
    if not p.present("public"):
        return
    codes = p.read(
        "public",
        parsing.resolve_names,
        p.lookups.audiences,
        unknown=("public inconnu", "publics inconnus"),
    )
    if codes is None:
        return
    codes = codes or [PATIENTS]
    p.row.service["for_patients"] = PATIENTS in codes
    p.row.service["for_relatives"] = RELATIVES in codes


def _phases(p: _RowParser) -> None:
    if not p.present("phases"):
        return
    codes = p.read(
        "phases",
        parsing.resolve_names,
        p.lookups.phases,
        unknown=("phase inconnue", "phases inconnues"),
    )
    if codes is None:
        return
    codes = codes or list(PHASE_FIELDS)
    for code, field_name in PHASE_FIELDS.items():
        p.row.service[field_name] = code in codes


def _cost_amount(p: _RowParser) -> None:
    amount = p.read("reste_a_charge", parsing.amount) if p.present("reste_a_charge") else None
    cost = p.row.service.get("cost")
    if cost is None:
        return
    if cost == Cost.REMAINING_COST and amount is None:
        if not any(message.startswith("reste_a_charge") for message in p.row.errors):
            p.error(
                "reste_a_charge",
                "indiquez le montant du reste à charge (le coût est « reste à charge »).",
            )
    elif cost != Cost.REMAINING_COST and amount is not None:
        p.error(
            "reste_a_charge",
            "un montant est indiqué mais le coût n'est pas « reste à charge » : "
            "videz la cellule ou corrigez le coût.",
        )
    p.row.service["remaining_cost_amount"] = amount if cost == Cost.REMAINING_COST else None


def _home(p: _RowParser) -> None:
    home = p.read("a_domicile", parsing.boolean, default=False)
    if home is None:
        return
    if p.present("a_domicile"):
        p.row.service["is_home_service"] = home
    if not p.present("communes_desservies"):
        return
    codes = parsing.items(p.cell("communes_desservies"))
    if codes and not home:
        p.error(
            "communes_desservies",
            "des communes desservies sont indiquées mais l'offre n'est pas à domicile "
            "(indiquez « oui » en colonne a_domicile).",
        )
        return
    communes, unknown = [], []
    for code in codes:
        code = code.upper().zfill(5) if code.isdigit() else code.upper()
        commune = p.lookups.commune(code) if INSEE_CODE_RE.match(code) else None
        if commune is None:
            unknown.append(code)
        elif commune not in communes:
            communes.append(commune)
    if unknown:
        start = "codes INSEE inconnus" if len(unknown) > 1 else "code INSEE inconnu"
        p.error("communes_desservies", f"{start} : {', '.join(unknown)}.")
        return
    p.row.service_relations["communes_served"] = communes


def _location(p: _RowParser) -> None:
    if not any(p.cell(column).strip() for column in LOCATION_COLUMNS):
        if not p.row.service.get("is_home_service"):
            p.error(
                "lieu_commune_insee",
                "indiquez la commune du lieu (code INSEE, ou nom et code postal), "
                "ou « oui » en colonne a_domicile pour une offre sans lieu d'accueil.",
            )
        return
    values: dict = {}
    p.put(values, "lieu_nom", "name", parsing.text, max_length=_max_length(Location, "name"))
    p.put(values, "lieu_adresse", "address", parsing.text, max_length=250)
    p.put(values, "lieu_accessibilite", "accessibility", parsing.text)
    p.put(values, "lieu_horaires", "opening_hours", parsing.text)
    p.identifier(values, "lieu_telephone", "phone", identifiers.check_phone)
    p.put(values, "lieu_courriel", "email", parsing.email)
    postal_code = _postal_code(p)
    if postal_code is not None and p.present("lieu_code_postal"):
        values["postal_code"] = postal_code
    commune = _commune(p, postal_code or "")
    _coordinates(p, values, commune)
    if commune is not None:
        values["commune"] = commune
        p.row.location = values


def _postal_code(p: _RowParser) -> str | None:
    raw = p.cell("lieu_code_postal").strip()
    code = raw.zfill(5) if raw.isdigit() and len(raw) == 4 else raw
    if code and not POSTAL_CODE_RE.match(code):
        p.error("lieu_code_postal", f"code postal invalide « {raw} » (5 chiffres).")
        return None
    return code


def _commune(p: _RowParser, postal_code: str) -> Commune | None:
    insee = p.cell("lieu_commune_insee").strip().upper()
    name = p.cell("lieu_commune").strip()
    if insee:
        insee = insee.zfill(5) if insee.isdigit() and len(insee) == 4 else insee
        if not INSEE_CODE_RE.match(insee):
            p.error(
                "lieu_commune_insee",
                f"« {insee} » n'est pas un code INSEE de commune (5 caractères, ex. 12096).",
            )
            return None
        commune = p.lookups.commune(insee)
        if commune is None:
            p.error("lieu_commune_insee", f"aucune commune ne porte le code INSEE {insee}.")
            return None
        if name and normalize_name(name) != commune.search_name:
            p.row.warnings.append(
                f"lieu_commune : « {name} » n'est pas le nom de la commune {insee} "
                f"({commune.name}) ; le code INSEE a été retenu."
            )
        if postal_code and postal_code not in p.lookups.postal_codes(commune):
            known = ", ".join(sorted(p.lookups.postal_codes(commune))) or "inconnu"
            p.row.warnings.append(
                f"lieu_code_postal : {postal_code} n'est pas un code postal de {commune.name} "
                f"({known})."
            )
        return commune
    if not name:
        p.error(
            "lieu_commune_insee",
            "indiquez la commune du lieu : son code INSEE, ou son nom et son code postal.",
        )
        return None
    candidates = p.lookups.communes_named(name, postal_code)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        where = f" avec le code postal {postal_code}" if postal_code else ""
        p.error(
            "lieu_commune",
            f"aucune commune « {name} »{where} : vérifiez l'orthographe ou indiquez le code INSEE.",
        )
        return None
    listed = ", ".join(f"{c.name} ({c.insee_code}, {c.department.code})" for c in candidates)
    p.error(
        "lieu_commune",
        f"plusieurs communes s'appellent « {name} » ({listed}) : "
        "indiquez le code postal ou le code INSEE.",
    )
    return None


def _coordinates(p: _RowParser, values: dict, commune: Commune | None) -> None:
    latitude = p.read("lieu_latitude", parsing.decimal_degrees, limit=90)
    longitude = p.read("lieu_longitude", parsing.decimal_degrees, limit=180)
    if not (p.present("lieu_latitude") or p.present("lieu_longitude")):
        return
    if (latitude is None) != (longitude is None):
        if not any(m.startswith(("lieu_latitude", "lieu_longitude")) for m in p.row.errors):
            p.error("lieu_latitude", "indiquez la latitude et la longitude, ou aucune des deux.")
        return
    values["latitude"], values["longitude"] = latitude, longitude
    if latitude is not None and commune is not None:
        distance = _distance_km(latitude, longitude, commune.latitude, commune.longitude)
        if distance > FAR_FROM_COMMUNE_KM:
            p.row.warnings.append(
                f"lieu_latitude : le point indiqué est à {distance:.0f} km de {commune.name} ; "
                "vérifiez les coordonnées (latitude et longitude inversées ?)."
            )


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))
