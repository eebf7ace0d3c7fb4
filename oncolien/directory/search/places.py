"""The commune a person types in the search: a name, a postal code or an INSEE code.

A name shared by several communes, or a postal code covering several, is not
guessed: the answer lists the candidates so that the page (or the API) can
ask which one, with the department or the postal code.
"""

import re
from dataclasses import dataclass, field

from oncolien.territories import lookups
from oncolien.territories.models import Commune

# « Espalion 12500 », « Espalion (12) », « Espalion, 12 », « Saint-Denis 2A ».
NAME_AND_POSTAL_CODE = re.compile(r"^(?P<name>.*?)[\s,]*\(?(?P<code>\d{5})\)?$")
NAME_AND_DEPARTMENT = re.compile(
    r"^(?P<name>.*?)[\s,]*\((?P<code>\d{2,3}|2[ABab])\)$|"
    r"^(?P<name2>.*?)[\s,]+(?P<code2>\d{2,3}|2[ABab])$"
)
MAX_CANDIDATES = 8


@dataclass
class Place:
    commune: Commune | None = None
    # A French sentence when no single commune answers; candidates to choose from.
    error: str = ""
    candidates: list[Commune] = field(default_factory=list)


def label(commune: Commune) -> str:
    """How a commune is written back in the search box: « Espalion (12) »."""
    return f"{commune.name} ({commune.department.code})"


def _one_or_choice(communes: list[Commune], *, several: str, none: str) -> Place:
    if len(communes) == 1:
        return Place(commune=communes[0])
    if not communes:
        return Place(error=none)
    return Place(error=several, candidates=communes[:MAX_CANDIDATES])


def _by_postal_code(code: str, name: str = "") -> Place:
    communes = list(lookups.communes_by_postal_code(code))
    if name:
        wanted = lookups.normalize_name(name)
        communes = [commune for commune in communes if commune.search_name == wanted]
        return _one_or_choice(
            communes,
            several=f"Plusieurs communes « {name} » ont le code postal {code} : choisissez la vôtre.",
            none=f"Aucune commune « {name} » n'a le code postal {code}.",
        )
    if not communes:
        # Not a postal code we know: perhaps an INSEE code.
        try:
            return Place(commune=lookups.commune_by_insee(code))
        except lookups.CommuneNotFound:
            return Place(error=f"Aucune commune n'a le code postal ou le code INSEE {code}.")
    return _one_or_choice(
        communes,
        several=f"Plusieurs communes ont le code postal {code} : choisissez la vôtre.",
        none="",
    )


def _by_name(name: str, department: str | None = None) -> Place:
    try:
        return Place(commune=lookups.commune_by_name(name, department))
    except lookups.AmbiguousCommuneName as error:
        return Place(
            error=(
                f"Plusieurs communes s'appellent « {error.name} » : précisez le département "
                "ou le code postal (par exemple « Castres 81100 »), ou choisissez ci-dessous."
            ),
            candidates=error.candidates[:MAX_CANDIDATES],
        )
    except lookups.CommuneNotFound as error:
        suggestions = list(lookups.communes_by_name(name, department)[:MAX_CANDIDATES])
        if suggestions:
            return Place(
                error=f"{error} Vouliez-vous dire l'une de ces communes ?",
                candidates=suggestions,
            )
        return Place(error=f"{error} Vérifiez l'orthographe, ou indiquez le code postal.")


def resolve_place(typed: str) -> Place:
    """The commune meant by `typed`, or an error and the candidates to choose from."""
    typed = " ".join(typed.split())
    if not typed:
        return Place()
    if re.fullmatch(r"\d{5}", typed):
        return _by_postal_code(typed)
    if lookups.INSEE_CODE_RE.fullmatch(typed.upper()):
        try:
            return Place(commune=lookups.commune_by_insee(typed))
        except lookups.CommuneNotFound as error:
            return Place(error=str(error))
    if (match := NAME_AND_POSTAL_CODE.match(typed)) and match["name"]:
        return _by_postal_code(match["code"], match["name"])
    if match := NAME_AND_DEPARTMENT.match(typed):
        name = match["name"] if match["name"] is not None else match["name2"]
        code = match["code"] or match["code2"]
        if name:
            return _by_name(name, code)
    return _by_name(typed)


def place_by_insee(code: str) -> Place:
    try:
        return Place(commune=lookups.commune_by_insee(code))
    except lookups.CommuneNotFound as error:
        return Place(error=str(error))
