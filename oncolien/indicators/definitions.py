"""The indicators' definitions: versioned data (``data/indicators.json``),
validated as a whole.

A file with one mistake is refused with every problem listed in French, and
nothing of it is used. Each indicator says what it counts (numerator), over
what (denominator), over which days (period rule), in which unit, and which
field document it answers; every page and export shows these beside the figure.
The file names exactly the indicators that figures.py computes: one without a
computation, or a computation without its definition, is refused.

Its breakdowns (« répartitions ») are tables of rows per category (care type,
alert rule, age band…): each says what a row is, and each of its columns says
its numerator, denominator and unit; the columns are exactly those that the
computation of breakdowns.py gives, and a chart, when asked, draws one of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from oncolien.json_documents import json_object

from .breakdowns import BREAKDOWNS
from .figures import COMPUTATIONS

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "indicators.json"
UNITS = {
    "count": "nombre",
    "proportion": "part",
    "median": "médiane",
    "minutes": "minutes",
    "hours": "heures",
}
# Units whose figure is read over a denominator (« 35 sur 70 »).
_WITH_DENOMINATOR = {"proportion", "median", "minutes", "hours"}
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TOP_KEYS = {
    "version": str,
    "about": str,
    "sources": list,
    "indicators": list,
    "breakdowns": list,
}
_SOURCE_KEYS = {"code": str, "title": str, "date": str}
_INDICATOR_KEYS = {
    "code": str,
    "name": str,
    "definition": str,
    "numerator": str,
    "denominator": str,
    "unit": str,
    "period_rule": str,
    "source": str,
    "field_note": str,
}
_MAY_BE_EMPTY = {"denominator", "field_note"}
COLUMN_UNITS = {
    "count": "nombre",
    "proportion": "part",
    "days": "médiane en jours",
    "hours": "médiane en heures",
    "euros": "euros",
    "score": "moyenne sur 10",
}
_COLUMN_WITH_DENOMINATOR = {"proportion", "days", "hours", "score"}
_BREAKDOWN_KEYS = {
    "code": str,
    "name": str,
    "definition": str,
    "rows": str,
    "columns": list,
    "chart": str,
    "period_rule": str,
    "source": str,
    "field_note": str,
}
_COLUMN_KEYS = {"code": str, "name": str, "numerator": str, "denominator": str, "unit": str}


class DefinitionsError(Exception):
    """The definitions file is refused; ``errors`` lists every problem, in French."""

    def __init__(self, errors: list[str], *, source: str) -> None:
        self.errors = errors
        lines = "\n".join(f"- {error}" for error in errors)
        super().__init__(
            f"Le fichier des indicateurs {source} est refusé, rien n'en est utilisé :\n{lines}"
        )


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    date: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    period_rule: str
    source: Source
    field_note: str

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    numerator: str
    denominator: str
    unit: str

    @property
    def unit_label(self) -> str:
        return COLUMN_UNITS[self.unit]


@dataclass(frozen=True)
class Breakdown:
    code: str
    name: str
    definition: str
    rows: str  # what a row is: « soin de support », « tranche d'âge »…
    columns: tuple[Column, ...]
    chart: str  # the code of the column drawn as bars, or "" for none
    period_rule: str
    source: Source
    field_note: str


@dataclass(frozen=True)
class Definitions:
    version: str
    about: str
    indicators: tuple[Indicator, ...]
    breakdowns: tuple[Breakdown, ...] = ()

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


def _check_keys(
    item: Any, expected: Mapping[str, type], where: str, errors: list[str], *, empty_ok=frozenset()
) -> bool:
    if not isinstance(item, dict):
        errors.append(f"{where} : un objet JSON est attendu.")
        return False
    ok = True
    for key in sorted(set(item) - set(expected)):
        errors.append(f"{where} : clé inconnue « {key} ».")
        ok = False
    for key, kind in expected.items():
        if key not in item:
            errors.append(f"{where} : la clé « {key} » manque.")
            ok = False
        elif not isinstance(item[key], kind):
            errors.append(
                f"{where} : « {key} » doit être {'un texte' if kind is str else 'une liste'}."
            )
            ok = False
        elif kind is str and key not in empty_ok and not item[key].strip():
            errors.append(f"{where} : « {key} » est vide.")
            ok = False
    return ok


def parse(raw: bytes, *, source: str = "") -> Definitions:
    """The definitions in `raw`, or DefinitionsError listing every problem."""
    document = json_object(raw, refused=DefinitionsError, source=source)
    errors: list[str] = []
    if not _check_keys(document, _TOP_KEYS, "Document", errors):
        raise DefinitionsError(errors, source=source)
    sources: dict[str, Source] = {}
    for number, item in enumerate(document["sources"], start=1):
        where = f"Source n° {number}"
        if _check_keys(item, _SOURCE_KEYS, where, errors):
            if item["code"] in sources:
                errors.append(f"{where} : le code « {item['code']} » est déjà pris.")
            sources[item["code"]] = Source(item["code"], item["title"], item["date"])
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for number, item in enumerate(document["indicators"], start=1):
        where = f"Indicateur n° {number}"
        if not _check_keys(item, _INDICATOR_KEYS, where, errors, empty_ok=_MAY_BE_EMPTY):
            continue
        code = item["code"]
        where = f"Indicateur « {code} »"
        problems_before = len(errors)
        if not _CODE_RE.match(code):
            errors.append(f"{where} : le code s'écrit en minuscules, chiffres et « _ ».")
        if code in seen:
            errors.append(f"{where} : le code est déjà pris par un autre indicateur.")
        seen.add(code)
        if code not in COMPUTATIONS:
            errors.append(f"{where} : aucun calcul ne porte ce code dans OncoLien.")
        if item["unit"] not in UNITS:
            errors.append(
                f"{where} : unité « {item['unit']} » inconnue ; unités possibles : "
                f"{', '.join(sorted(UNITS))}."
            )
        elif item["unit"] in _WITH_DENOMINATOR and not item["denominator"].strip():
            errors.append(
                f"{where} : une {UNITS[item['unit']]} se lit sur un dénominateur : décrivez-le."
            )
        if item["source"] not in sources:
            errors.append(f"{where} : la source « {item['source']} » n'est pas déclarée.")
        if len(errors) == problems_before:
            indicators.append(Indicator(**{**item, "source": sources[item["source"]]}))
    for code in sorted(set(COMPUTATIONS) - seen):
        errors.append(f"Le calcul « {code} » n'a pas de définition dans le fichier.")
    breakdowns = _breakdowns(document["breakdowns"], sources, seen, errors)
    if errors:
        raise DefinitionsError(errors, source=source)
    return Definitions(document["version"], document["about"], tuple(indicators), tuple(breakdowns))


def _columns(items: list, where: str, errors: list[str]) -> list[Column]:
    columns: list[Column] = []
    for number, item in enumerate(items, start=1):
        at = f"{where}, colonne n° {number}"
        if not _check_keys(item, _COLUMN_KEYS, at, errors, empty_ok={"denominator"}):
            continue
        if item["unit"] not in COLUMN_UNITS:
            errors.append(
                f"{at} : unité « {item['unit']} » inconnue ; unités possibles : "
                f"{', '.join(sorted(COLUMN_UNITS))}."
            )
            continue
        if item["unit"] in _COLUMN_WITH_DENOMINATOR and not item["denominator"].strip():
            errors.append(
                f"{at} : une {COLUMN_UNITS[item['unit']]} se lit sur un dénominateur : décrivez-le."
            )
            continue
        columns.append(Column(**item))
    return columns


def _breakdowns(
    items: list, sources: dict[str, Source], taken: set[str], errors: list[str]
) -> list[Breakdown]:
    breakdowns: list[Breakdown] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"Répartition n° {number}"
        if not _check_keys(item, _BREAKDOWN_KEYS, where, errors, empty_ok={"chart", "field_note"}):
            continue
        code = item["code"]
        where = f"Répartition « {code} »"
        problems_before = len(errors)
        if not _CODE_RE.match(code):
            errors.append(f"{where} : le code s'écrit en minuscules, chiffres et « _ ».")
        if code in seen or code in taken:
            errors.append(f"{where} : le code est déjà pris par un autre indicateur.")
        seen.add(code)
        if item["source"] not in sources:
            errors.append(f"{where} : la source « {item['source']} » n'est pas déclarée.")
        columns = _columns(item["columns"], where, errors)
        codes = [column.code for column in columns]
        computation = BREAKDOWNS.get(code)
        if computation is None:
            errors.append(f"{where} : aucun calcul ne porte ce code dans OncoLien.")
        elif len(errors) == problems_before and codes != list(computation.columns):
            errors.append(
                f"{where} : les colonnes doivent être, dans cet ordre : "
                f"{', '.join(computation.columns)} (le fichier donne : {', '.join(codes) or 'aucune'})."
            )
        if item["chart"] and item["chart"] not in codes:
            errors.append(
                f"{where} : le graphique porte sur une colonne inconnue « {item['chart']} »."
            )
        if len(errors) == problems_before:
            breakdowns.append(
                Breakdown(**{**item, "columns": tuple(columns), "source": sources[item["source"]]})
            )
    for code in sorted(set(BREAKDOWNS) - seen):
        errors.append(f"Le calcul de répartition « {code} » n'a pas de définition dans le fichier.")
    return breakdowns


@lru_cache(maxsize=1)
def current() -> Definitions:
    """The shipped definitions (read once per process)."""
    return parse(DEFAULT_PATH.read_bytes(), source=DEFAULT_PATH.name)
