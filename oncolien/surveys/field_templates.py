"""The two field surveys shipped as templates, reconstructed from their documents
(`data/*.json`, one definition each): the 2025 SOS survey of the Guichet CPTS and
Onco-Occitanie, and the 2024 Baromètre des CPTS's « questions de référence ».

What the documents do not give (a choice list, a question's exact wording) is said in
the template's introduction or in the question's help text, to be checked before
the survey is sent.
"""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from oncolien.surveys.definition import DefinitionError, validate

DATA = Path(__file__).resolve().parent / "data"

# code -> (label shown to the person creating a survey, file)
TEMPLATES = {
    "sos-2025": (
        "Enquête SOS 2025 (Guichet CPTS et Onco-Occitanie) : connaissances, actions, "
        "ressources, limites, attentes",
        "sos-2025.json",
    ),
    "barometre-2024": (
        "Baromètre des CPTS 2024 (Guichet CPTS) : questions de référence",
        "barometre-2024.json",
    ),
}


@cache
def _read(code: str) -> dict[str, Any]:
    _label, filename = TEMPLATES[code]
    definition = json.loads((DATA / filename).read_text(encoding="utf-8"))
    errors = validate(definition)
    if errors:
        raise DefinitionError(errors)
    return definition


def load(code: str) -> dict[str, Any]:
    """A fresh copy of the template's definition, validated (KeyError for an unknown
    code, DefinitionError for a file that does not validate)."""
    return copy.deepcopy(_read(code))


def choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _filename) in TEMPLATES.items()]
