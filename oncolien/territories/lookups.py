"""Finding communes by INSEE code, name or postal code.

Names are compared in a normalised form (``normalize_name``), stored on each
commune as ``search_name``, so that « Saint-Gaudens », « saint gaudens » and
« ST GAUDENS » find the same commune.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import Commune, Department

INSEE_CODE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
DEPARTMENT_CODE_RE = re.compile(r"^(?:\d{2,3}|2[AB])$")

# Ligatures that NFKD does not decompose (« Cœur de Garonne »).
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# Abbreviations people type for the saints of French place names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(text: str) -> str:
    """Lower-case, accent-free form of a place name, words separated by one space.

    Hyphens, apostrophes and other punctuation become spaces, and the usual
    abbreviations « St », « Ste » are spelt out: « St-Cyprien-sur-Dourdou »,
    « Saint Cyprien sur Dourdou » and « saint-cyprien-sur-dourdou » agree.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^0-9a-z]+", " ", ascii_text.lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def normalize_department_code(code: str) -> str:
    """« 9 » → « 09 », « 2a » → « 2A »; other text is returned stripped, unchecked."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


class CommuneNotFound(Commune.DoesNotExist):
    """No commune answers the request. The message is French, for the user."""


class AmbiguousCommuneName(Exception):
    """Several communes bear this name: the caller must ask for the department."""

    def __init__(self, name: str, candidates: list[Commune]):
        self.name = name
        self.candidates = candidates
        departments = ", ".join(sorted({c.department.code for c in candidates}))
        super().__init__(
            f"Plusieurs communes s'appellent « {name} » (départements {departments}) : "
            "précisez le département."
        )


def commune_by_insee(code: str) -> Commune:
    code = code.strip().upper()
    if not INSEE_CODE_RE.match(code):
        raise CommuneNotFound(
            f"« {code} » n'est pas un code INSEE de commune : il compte 5 caractères (ex. 81065)."
        )
    commune = _commune_with_department(code)
    if commune is None:
        raise CommuneNotFound(f"Aucune commune ne porte le code INSEE {code}.")
    return commune


def _columns(model, alias: str) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(f"{alias}.{f.column}" for f in fields)


def _commune_with_department(code: str) -> Commune | None:
    """The commune and its department in one plain query, made into model objects.

    What `select_related("department").get(insee_code=…)` returns, without
    compiling the query each time: thirty times cheaper, and every search
    around a commune starts with it (bench/directory_search.py).
    """
    commune_names, commune_columns = _columns(Commune, "c")
    department_names, department_columns = _columns(Department, "d")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {commune_columns}, {department_columns} "  # noqa: S608 (model columns)
            f"FROM {Commune._meta.db_table} c "
            f"JOIN {Department._meta.db_table} d ON d.id = c.department_id "
            "WHERE c.insee_code = %s",
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(commune_names)
    # Texts, integers and floats only: the drivers hand them back as the ORM
    # would (a test compares with the ORM's answer on both engines).
    commune = Commune.from_db(connection.alias, commune_names, row[:split])
    department = Department.from_db(connection.alias, department_names, row[split:])
    Commune._meta.get_field("department").set_cached_value(commune, department)
    return commune


def communes_by_name(name: str, department: str | None = None) -> QuerySet[Commune]:
    """Communes whose name is, starts with, or has a word starting with ``name``.

    Exact matches come first, then names that start with it, then the others;
    within each, the most populated first. Each commune carries ``match_rank``
    (0 exact, 1 prefix, 2 word). An empty name finds nothing.
    """
    wanted = normalize_name(name)
    if not wanted:
        return Commune.objects.none()
    communes = (
        Commune.objects.select_related("department")
        .filter(Q(search_name__startswith=wanted) | Q(search_name__contains=f" {wanted}"))
        .annotate(
            match_rank=Case(
                When(search_name=wanted, then=Value(0)),
                When(search_name__startswith=wanted, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("match_rank", "-population", "insee_code")
    )
    if department:
        communes = communes.filter(department__code=normalize_department_code(department))
    return communes


def commune_by_name(name: str, department: str | None = None) -> Commune:
    """The one commune bearing exactly this (normalised) name.

    Raises ``CommuneNotFound`` when none does, ``AmbiguousCommuneName`` when
    several do in different departments and no department narrows them down.
    """
    exact = list(communes_by_name(name, department).filter(search_name=normalize_name(name)))
    if not exact:
        where = (
            f" dans le département {normalize_department_code(department)}" if department else ""
        )
        raise CommuneNotFound(f"Aucune commune ne s'appelle « {name.strip()} »{where}.")
    if len(exact) > 1:
        raise AmbiguousCommuneName(name.strip(), exact)
    return exact[0]


def communes_by_postal_code(code: str) -> QuerySet[Commune]:
    """Communes served by a postal code; an invalid code finds nothing."""
    code = code.strip()
    if not POSTAL_CODE_RE.match(code):
        return Commune.objects.none()
    return (
        Commune.objects.select_related("department")
        .filter(postal_codes__code=code)
        .order_by("-population", "insee_code")
    )


# --- A commune typed as text in a form: the one grammar and its French messages.

# « Espalion (12096) », as the forms show a commune they prefill.
_LABELLED_INSEE_RE = re.compile(r"\((\d{5}|2[AB]\d{3})\)\s*$", re.IGNORECASE)


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.insee_code})"


def resolve_commune(text: str, postal_code: str = "") -> Commune:
    """The commune meant by a name (with the postal code when several share it), an
    INSEE code, « Nom (code INSEE) », or a postal code that serves one commune."""
    text, postal_code = (text or "").strip(), (postal_code or "").strip()
    if not text:
        raise ValidationError("Indiquez la commune : son nom ou son code INSEE.")
    labelled = _LABELLED_INSEE_RE.search(text)
    code = labelled.group(1) if labelled else text.upper()
    if INSEE_CODE_RE.match(code):
        try:
            return commune_by_insee(code)
        except CommuneNotFound as missing:
            by_postal_code = list(communes_by_postal_code(code))
            if len(by_postal_code) == 1:
                return by_postal_code[0]
            if by_postal_code:
                names = ", ".join(sorted(c.name for c in by_postal_code)[:8])
                raise ValidationError(
                    f"Le code postal {code} dessert plusieurs communes ({names}…) : "
                    "indiquez le nom de la commune."
                ) from None
            raise ValidationError(str(missing)) from None
    if postal_code:
        wanted = normalize_name(text)
        matches = [c for c in communes_by_postal_code(postal_code) if c.search_name == wanted]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                f"Aucune commune « {text} » n'a le code postal {postal_code} : "
                "vérifiez le nom et le code postal."
            )
    try:
        return commune_by_name(text)
    except CommuneNotFound as missing:
        raise ValidationError(
            f"{missing} Vérifiez l'orthographe ou indiquez le code INSEE."
        ) from None
    except AmbiguousCommuneName:
        raise ValidationError(
            f"Plusieurs communes s'appellent « {text} » : indiquez aussi le code postal "
            "(ou le code INSEE)."
        ) from None


def resolve_communes(text: str) -> list[Commune]:
    """Several communes, separated by commas, semicolons or line breaks."""
    communes, errors = [], []
    for item in re.split(r"[,;\n]+", text or ""):
        if not item.strip():
            continue
        try:
            communes.append(resolve_commune(item))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return communes
