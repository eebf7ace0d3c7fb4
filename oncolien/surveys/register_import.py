"""Import of the register of the region's CPTS from a CSV or XLSX file.

One row per CPTS: its name, department, ACI signature date, and either the INSEE
codes of its communes (its population is then their sum, « calculée ») or a
declared population (« déclarée »). Every row gets a verdict; the import is all
or nothing: one bad row and no register is created, so the register a survey is
compared to is never a half of the file.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.departments import department_code
from oncolien.surveys.models import CptsRegister, CptsRegisterEntry, PopulationSource
from oncolien.surveys.register_sizes import population_text, size_class_of
from oncolien.table_reading import Table, UnreadableFile, read_table
from oncolien.territories.lookups import INSEE_CODE_RE, normalize_name
from oncolien.territories.models import Commune, Cpts

# The ACI of CPTS was signed on 20 June 2019: an earlier date is most likely a
# typing error (the date of the association's creation), worth a second look.
ACI_START = date(2019, 6, 20)
# More than any French department's population: a figure above it is a typing error
# (and would not fit the database column).
MAX_POPULATION = 5_000_000
NAME_MAX = CptsRegisterEntry._meta.get_field("name").max_length or 200


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    aliases: tuple[str, ...]
    description: str
    example: str


COLUMNS = (
    Column(
        "name",
        "Nom",
        ("nom de la cpts", "cpts", "nom cpts", "name"),
        "Le nom de la CPTS (obligatoire, unique dans le fichier).",
        "CPTS du Grand Rodez",
    ),
    Column(
        "department",
        "Département",
        ("dept", "dep", "code departement", "departement code", "department"),
        "Le code du département (« 09 », « 2A », « 971 ») ou son nom (obligatoire).",
        "12",
    ),
    Column(
        "aci",
        "Date de signature de l'ACI",
        ("signature de l aci", "date aci", "date de signature aci", "aci", "signature aci"),
        "JJ/MM/AAAA ou AAAA-MM-JJ ; vide si la date n'est pas connue.",
        "15/03/2021",
    ),
    Column(
        "communes",
        "Communes (codes INSEE)",
        ("communes", "codes insee", "communes insee", "code insee", "insee"),
        "Les codes INSEE des communes de la CPTS, séparés par des virgules, points-virgules "
        "ou espaces, quand ils sont connus : la population est alors calculée.",
        "12202, 12176",
    ),
    Column(
        "population",
        "Population déclarée",
        ("population", "nombre d habitants", "habitants"),
        "La population déclarée, si les communes ne sont pas connues (nombre entier).",
        "",
    ),
)
COLUMN_HEADINGS = [column.heading for column in COLUMNS]


def _header_key(text: str) -> str:
    """Case-, accent- and punctuation-free form of a column heading."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


_HEADER_KEYS = {
    alias: column.key
    for column in COLUMNS
    for alias in (_header_key(column.heading), *column.aliases)
}


@dataclass
class EntryValues:
    name: str
    department: str
    aci_signed_on: date | None
    communes: list[str]
    population: int
    population_source: str
    size_class: int
    cpts_id: int | None


@dataclass
class RowVerdict:
    line: int
    name: str
    department: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: EntryValues | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def population_text(self) -> str:
        if self.values is None:
            return ""
        text = population_text(self.values.population)
        if self.values.population_source == PopulationSource.DECLARED:
            return f"{text} (déclarée)"
        return f"{text} (calculée : {len(self.values.communes)} communes)"


@dataclass
class RegisterCheck:
    filename: str
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[RowVerdict] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if not row.ok)

    @property
    def can_import(self) -> bool:
        return not self.file_errors and bool(self.rows) and self.error_rows == 0


def check_register_file(data: bytes, filename: str) -> RegisterCheck:
    """Read and check every row of a register file; nothing is written."""
    check = RegisterCheck(filename=filename)
    try:
        table = read_table(data, filename)
    except UnreadableFile as error:
        check.file_errors.append(str(error))
        return check
    check.warnings.extend(table.warnings)
    positions = _column_positions(table, check)
    if check.file_errors:
        return check
    _check_rows(table, positions, check)
    return check


def _column_positions(table: Table, check: RegisterCheck) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, heading in enumerate(table.headers):
        key = _HEADER_KEYS.get(_header_key(heading))
        if key is None:
            if heading.strip():
                check.warnings.append(f"La colonne « {heading.strip()} » est ignorée.")
            continue
        if key in positions:
            check.file_errors.append(
                f"La colonne « {heading.strip()} » apparaît deux fois : gardez-en une seule."
            )
            continue
        positions[key] = index
    headings = {column.key: column.heading for column in COLUMNS}
    for required in ("name", "department"):
        if required not in positions:
            check.file_errors.append(
                f"Il manque la colonne « {headings[required]} » (voir le modèle de fichier)."
            )
    if "communes" not in positions and "population" not in positions:
        check.file_errors.append(
            "Il faut une colonne « Communes (codes INSEE) » ou une colonne "
            "« Population déclarée » (voir le modèle de fichier)."
        )
    return positions


def _check_rows(table: Table, positions: dict[str, int], check: RegisterCheck) -> None:
    def cell(cells: list[str], key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    wanted_codes = {
        code
        for row in table.rows
        for code in _split_codes(cell(row.cells, "communes"))
        if INSEE_CODE_RE.match(code)
    }
    communes = _commune_populations(wanted_codes)
    cpts_by_name = {normalize_name(name): pk for pk, name in Cpts.objects.values_list("pk", "name")}
    first_line_of: dict[str, int] = {}
    for source in table.rows:
        name = " ".join(cell(source.cells, "name").split())
        verdict = RowVerdict(line=source.line, name=name, department="")
        check.rows.append(verdict)
        if not name:
            verdict.errors.append("Le nom de la CPTS manque.")
        elif len(name) > NAME_MAX:
            verdict.errors.append(f"Le nom dépasse {NAME_MAX} caractères.")
        else:
            key = normalize_name(name)
            if key in first_line_of:
                verdict.errors.append(
                    f"Doublon : une CPTS de même nom figure déjà ligne {first_line_of[key]}."
                )
            else:
                first_line_of[key] = source.line
        department = _department(cell(source.cells, "department"), verdict)
        signed_on = _aci_date(cell(source.cells, "aci"), verdict)
        population = _population(
            cell(source.cells, "communes"),
            cell(source.cells, "population"),
            department,
            communes,
            verdict,
        )
        if verdict.ok and population is not None and department is not None:
            codes, total, origin = population
            verdict.values = EntryValues(
                name=name,
                department=department,
                aci_signed_on=signed_on,
                communes=codes,
                population=total,
                population_source=origin,
                size_class=size_class_of(total),
                cpts_id=cpts_by_name.get(normalize_name(name)),
            )


def _department(text: str, verdict: RowVerdict) -> str | None:
    if not text:
        verdict.errors.append("Le département manque.")
        return None
    verdict.department = text  # shown as typed while it is not a known department
    code = department_code(text)
    if code is None:
        verdict.errors.append(
            f"Département inconnu : « {text} » (attendu : un code comme 09, 2A ou 971)."
        )
        return None
    verdict.department = code
    return code


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def _aci_date(text: str, verdict: RowVerdict) -> date | None:
    if not text:
        verdict.notes.append("Date de signature de l'ACI non renseignée.")
        return None
    for date_format in DATE_FORMATS:
        try:
            signed_on = datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a date)
            break
        except ValueError:
            continue
    else:
        verdict.errors.append(
            f"Date de signature de l'ACI illisible : « {text} » (attendu : JJ/MM/AAAA)."
        )
        return None
    if signed_on > timezone.localdate():
        verdict.errors.append(
            f"La date de signature de l'ACI ({signed_on:%d/%m/%Y}) est dans le futur."
        )
        return None
    if signed_on < ACI_START:
        verdict.notes.append(
            f"Date de signature ({signed_on:%d/%m/%Y}) antérieure à l'ACI du 20/06/2019 : "
            "vérifiez-la."
        )
    return signed_on


def _split_codes(text: str) -> list[str]:
    codes = []
    for item in re.split(r"[\s,;|/]+", text or ""):
        item = item.strip().upper()
        if not item:
            continue
        # A spreadsheet drops the leading zero of « 09122 »: put it back.
        if item.isdigit() and len(item) == 4:
            item = item.zfill(5)
        codes.append(item)
    return codes


@dataclass(frozen=True)
class _Commune:
    population: int
    department: str


def _commune_populations(codes: set[str]) -> dict[str, _Commune]:
    if not codes:
        return {}
    rows = Commune.objects.filter(insee_code__in=codes).values_list(
        "insee_code", "population", "department__code"
    )
    return {code: _Commune(population, department) for code, population, department in rows}


def _population(
    communes_text: str,
    declared_text: str,
    department: str | None,
    known: dict[str, _Commune],
    verdict: RowVerdict,
) -> tuple[list[str], int, str] | None:
    codes = _split_codes(communes_text)
    if codes:
        malformed = [code for code in codes if not INSEE_CODE_RE.match(code)]
        unknown = [code for code in codes if INSEE_CODE_RE.match(code) and code not in known]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if malformed:
            verdict.errors.append(
                "Code(s) INSEE mal formé(s) : "
                + ", ".join(malformed)
                + " (un code INSEE compte 5 caractères, ex. 12202)."
            )
        if unknown:
            verdict.errors.append(
                "Code(s) INSEE inconnu(s) dans OncoLien : " + ", ".join(unknown) + "."
            )
        if repeated:
            verdict.notes.append("Commune(s) citée(s) plusieurs fois : " + ", ".join(repeated))
        if malformed or unknown:
            return None
        unique = list(dict.fromkeys(codes))
        # A CPTS may reach over a department's border, but a commune of another
        # department is more often a typing error: worth a look, not a refusal.
        elsewhere = [c for c in unique if department and known[c].department != department]
        if elsewhere:
            verdict.notes.append(
                f"Commune(s) hors du département {department} : " + ", ".join(elsewhere) + "."
            )
        if declared_text:
            verdict.notes.append(
                "Population déclarée ignorée : elle est calculée à partir des communes."
            )
        return unique, sum(known[code].population for code in unique), PopulationSource.COMMUNES
    if not declared_text:
        verdict.errors.append(
            "Ni communes ni population déclarée : indiquez les codes INSEE des communes "
            "ou la population déclarée."
        )
        return None
    digits = re.sub(r"[\s\u00a0\u202f.]", "", declared_text)
    if not digits.isdigit() or int(digits) == 0:
        verdict.errors.append(
            f"Population déclarée illisible : « {declared_text} » (attendu : un nombre "
            "entier d'habitants, ex. 45000)."
        )
        return None
    if int(digits) > MAX_POPULATION:
        verdict.errors.append(
            f"Population déclarée invraisemblable pour une CPTS : « {declared_text} »."
        )
        return None
    return [], int(digits), PopulationSource.DECLARED


def register_create(
    *,
    check: RegisterCheck,
    title: str,
    region: str,
    imported_by: User | None,
    is_fictitious: bool = False,
) -> CptsRegister:
    """Create the register of a checked file, all its entries at once. The caller has
    authorised the user (the demo loader has no user)."""
    if not check.can_import:
        raise ValueError("register_create: the file has errors")
    register = CptsRegister.objects.create(
        title=title,
        region=region,
        is_fictitious=is_fictitious,
        source_name=check.filename[:255],
        imported_by=imported_by,
    )
    CptsRegisterEntry.objects.bulk_create(
        CptsRegisterEntry(
            register=register,
            name=values.name,
            department=values.department,
            aci_signed_on=values.aci_signed_on,
            communes=values.communes,
            population=values.population,
            population_source=values.population_source,
            size_class=values.size_class,
            cpts_id=values.cpts_id,
        )
        for row in check.rows
        if (values := row.values) is not None
    )
    return register


@transaction.atomic
def register_import(
    *, user: User, data: bytes, filename: str, title: str, region: str
) -> tuple[CptsRegister | None, RegisterCheck]:
    """Check the file and, when every row is good, create the register; otherwise
    nothing is created and the check tells every row's verdict."""
    authorize(user, SURVEYS_MANAGE)
    check = check_register_file(data, filename)
    if not check.can_import:
        return None, check
    register = register_create(check=check, title=title, region=region, imported_by=user)
    audit_record(
        actor=user,
        action="surveys.register_imported",
        target=register,
        details={"filename": check.filename, "entries": len(check.rows)},
    )
    return register, check


def template_rows() -> list[list[str]]:
    """The template file offered for download: the columns and two example rows,
    one with communes (population calculated) and one with a declared population."""
    return [
        COLUMN_HEADINGS,
        ["CPTS exemple (communes connues)", "12", "15/03/2021", "12202, 12176", ""],
        ["CPTS exemple (population déclarée)", "31", "2022-09-01", "", "52000"],
    ]
