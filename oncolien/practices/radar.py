"""The action radar of « CPTS en pratique »: five axes, each rated on one scale.

The axes, their questions and the scale are versioned data (data/radar.json),
validated as a whole when read: a broken file is refused with every French error
at once, never half used. A practice's ratings are checked against it before
anything is saved.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from oncolien.web import charts

RADAR_FILE = Path(__file__).resolve().parent / "data" / "radar.json"
AXIS_CODES = ("delai", "couts", "ressources_humaines", "ingenierie", "formation")


class RadarDefinitionError(ValueError):
    """The radar data is invalid; `errors` lists every problem, in French."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("Définition du radar invalide : " + " ; ".join(errors))


@dataclass(frozen=True)
class Level:
    value: int
    label: str


@dataclass(frozen=True)
class Axis:
    code: str
    label: str
    description: str
    question: str


@dataclass(frozen=True)
class RadarDefinition:
    version: str
    title: str
    scale: tuple[Level, ...]
    axes: tuple[Axis, ...]

    @property
    def maximum(self) -> int:
        return max(level.value for level in self.scale)

    @property
    def values(self) -> set[int]:
        return {level.value for level in self.scale}

    def level_label(self, value: int) -> str:
        return next(level.label for level in self.scale if level.value == value)


def _text(item: dict[str, Any], key: str, where: str, errors: list[str]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where} : « {key} » manque ou est vide")
        return ""
    return value.strip()


def parse_definition(document: Any) -> RadarDefinition:
    """The radar of a JSON document, or RadarDefinitionError with every error."""
    errors: list[str] = []
    if not isinstance(document, dict):
        raise RadarDefinitionError(["le document doit être un objet JSON"])
    version = _text(document, "version", "document", errors)
    title = _text(document, "title", "document", errors)
    levels: list[Level] = []
    raw_scale = document.get("scale")
    if not isinstance(raw_scale, list) or len(raw_scale) < 2:
        errors.append("l'échelle (« scale ») doit compter au moins deux niveaux")
        raw_scale = []
    for number, item in enumerate(raw_scale, start=1):
        where = f"niveau {number} de l'échelle"
        if not isinstance(item, dict):
            errors.append(f"{where} : un objet est attendu")
            continue
        value = item.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(f"{where} : « value » doit être un entier positif")
            continue
        levels.append(Level(value, _text(item, "label", where, errors)))
    values = [level.value for level in levels]
    if values and values != list(range(values[0], values[0] + len(values))):
        errors.append("l'échelle doit aller d'un niveau au suivant, sans trou ni doublon")
    axes: list[Axis] = []
    raw_axes = document.get("axes")
    if not isinstance(raw_axes, list):
        errors.append("les axes (« axes ») doivent être une liste")
        raw_axes = []
    for number, item in enumerate(raw_axes, start=1):
        where = f"axe {number}"
        if not isinstance(item, dict):
            errors.append(f"{where} : un objet est attendu")
            continue
        axes.append(
            Axis(
                code=_text(item, "code", where, errors),
                label=_text(item, "label", where, errors),
                description=_text(item, "description", where, errors),
                question=_text(item, "question", where, errors),
            )
        )
    codes = tuple(axis.code for axis in axes)
    if codes != AXIS_CODES:
        errors.append(
            "les axes doivent être, dans cet ordre, ceux de « CPTS en pratique » : "
            + ", ".join(AXIS_CODES)
            + f" (trouvés : {', '.join(codes) or 'aucun'})"
        )
    if errors:
        raise RadarDefinitionError(errors)
    return RadarDefinition(version, title, tuple(levels), tuple(axes))


@cache
def definition() -> RadarDefinition:
    return parse_definition(json.loads(RADAR_FILE.read_text(encoding="utf-8")))


def clean_ratings(
    raw: dict[str, Any], radar: RadarDefinition | None = None
) -> dict[str, int | None]:
    """Ratings checked against the scale: every axis, each a scale value or None
    (non évalué). Raises ValidationError naming each wrong axis, in French."""
    radar = radar or definition()
    errors: dict[str, str] = {}
    unknown = sorted(set(raw) - {axis.code for axis in radar.axes})
    if unknown:
        errors["__all__"] = f"Axe inconnu du radar : {', '.join(unknown)}."
    cleaned: dict[str, int | None] = {}
    low, high = min(radar.values), radar.maximum
    for axis in radar.axes:
        value = raw.get(axis.code)
        if value in (None, ""):
            cleaned[axis.code] = None
            continue
        number: int | None
        try:
            # A whole number, as a form or JSON sends it; never a boolean or « 3.5 ».
            number = None if isinstance(value, bool) else int(str(value).strip())
        except ValueError:
            number = None
        if number is None or number not in radar.values:
            errors[axis.code] = (
                f"« {axis.label} » : {value} n'est pas sur l'échelle du radar "
                f"(de {low} à {high}, ou non évalué)."
            )
            continue
        cleaned[axis.code] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def is_rated(ratings: dict[str, Any]) -> bool:
    return any(value is not None for value in ratings.values())


def radar_chart(series: dict[str, dict[str, Any]], title: str = "") -> charts.Chart:
    """The radar of one or several practices ({name: ratings}), unrated axes shown
    « non évalué »."""
    radar = definition()
    return charts.radar(
        title or radar.title,
        [axis.label for axis in radar.axes],
        {name: [ratings.get(axis.code) for axis in radar.axes] for name, ratings in series.items()},
        maximum=radar.maximum,
    )
