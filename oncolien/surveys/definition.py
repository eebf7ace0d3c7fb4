"""A survey's questionnaire: one JSON document per version, validated as a whole.

    {"title": str, "introduction": str,
     "sections": [{"code", "title", "show_if", "questions": [
        {"code", "kind", "label", "help"?, "required",
         "choices"? (single, multiple, grid columns), "other"? (single, multiple),
         "items"? (grid rows), "scale"? {min, max, min_label, max_label},
         "number"? {min, max, unit}, "show_if"}]}]}

`show_if` is null or {"question": <code of an earlier question>, "in": [values]};
`conditions.shown_questions` reads it. Every write of a definition (the builder, an
upload, a field template) goes through `validate`, so that a page, an import and an
analysis may trust the document: codes are stable slugs (they name the columns of
imports and exports, and the themes of coded answers), unique where they must be,
and each condition points backwards to a question whose answers are values.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from oncolien.surveys.conditions import OTHER, YES_NO

SINGLE, MULTIPLE, YES_NO_KIND, SCALE, NUMBER, TEXT, GRID = (
    "single",
    "multiple",
    "yes_no",
    "scale",
    "number",
    "text",
    "grid",
)
KINDS = {
    SINGLE: "Choix unique",
    MULTIPLE: "Choix multiple",
    YES_NO_KIND: "Oui / non / ne sait pas",
    SCALE: "Échelle",
    NUMBER: "Nombre",
    TEXT: "Texte libre",
    GRID: "Grille (plusieurs éléments, mêmes choix)",
}
# Kinds whose answer is one or several values a condition can test.
VALUED_KINDS = (SINGLE, MULTIPLE, YES_NO_KIND)
WITH_CHOICES = (SINGLE, MULTIPLE, GRID)
WITH_OTHER = (SINGLE, MULTIPLE)
OTHER_LABEL = "Autre, précisez"

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_CODE = 80  # Theme.question_code and AnswerCoding.question_code hold 80 characters.
MAX_SECTIONS = 50
MAX_QUESTIONS = 300
MAX_CHOICES = 100
MAX_ITEMS = 100
MAX_SCALE_POINTS = 11  # 0 to 10, the widest scale a phone shows on one line.
MAX_TITLE = 200
MAX_LABEL = 500
MAX_HELP = 1000
MAX_INTRODUCTION = 5000

DOCUMENT_KEYS = {"title", "introduction", "sections"}
SECTION_KEYS = {"code", "title", "show_if", "questions"}
QUESTION_KEYS = {
    "code",
    "kind",
    "label",
    "help",
    "required",
    "choices",
    "other",
    "items",
    "scale",
    "number",
    "show_if",
}
# The keys a question of each kind may carry besides the common ones.
KIND_KEYS = {
    SINGLE: {"choices", "other"},
    MULTIPLE: {"choices", "other"},
    YES_NO_KIND: set(),
    SCALE: {"scale"},
    NUMBER: {"number"},
    TEXT: set(),
    GRID: {"choices", "items"},
}
COMMON_KEYS = {"code", "kind", "label", "help", "required", "show_if"}


class DefinitionError(Exception):
    """A definition that does not validate; `errors` holds every French message."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


def empty(title: str, introduction: str = "") -> dict[str, Any]:
    return {"title": title, "introduction": introduction, "sections": []}


# --- Reading helpers (used by the respondent's page, imports and the analysis)


def iter_questions(definition: Mapping[str, Any]) -> Iterator[dict]:
    for section in definition.get("sections", []):
        yield from section.get("questions", [])


def all_questions(definition: Mapping[str, Any]) -> list[dict]:
    """Every question of the definition, in order."""
    return list(iter_questions(definition))


def question(definition: Mapping[str, Any], code: str) -> dict | None:
    """The question of that code, or None."""
    for candidate in iter_questions(definition):
        if candidate.get("code") == code:
            return candidate
    return None


def section_of(definition: Mapping[str, Any], code: str) -> dict | None:
    """The section holding the question of that code, or None."""
    for section in definition.get("sections", []):
        if any(q.get("code") == code for q in section.get("questions", [])):
            return section
    return None


def values_of(question_: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (value, label) pairs an answer to the question may take (for a grid, the
    values of each item); [] for scale, number and text."""
    kind = question_.get("kind")
    if kind == YES_NO_KIND:
        return list(YES_NO)
    if kind not in WITH_CHOICES:
        return []
    pairs = [(c["code"], c["label"]) for c in question_.get("choices", [])]
    if kind in WITH_OTHER and question_.get("other"):
        pairs.append((OTHER, OTHER_LABEL))
    return pairs


def choice_label(question_: Mapping[str, Any], value: Any) -> str:
    """The label of one answer value of the question (the value itself when the
    question has no such choice, e.g. a number)."""
    for code, label in values_of(question_):
        if code == value:
            return label
    return str(value)


# --- Validation


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_CODE and bool(CODE_PATTERN.match(value))


def _code_error(where: str, value: Any) -> str:
    return (
        f"{where} : le code « {value} » n'est pas valide (lettres minuscules sans accent, "
        f"chiffres, tirets ou soulignés, {MAX_CODE} caractères au plus)."
    )


def _text_error(where: str, what: str, value: Any, limit: int, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        return f"{where} : {what} doit être un texte."
    if required and not value.strip():
        return f"{where} : {what} ne peut pas être vide."
    if len(value) > limit:
        return f"{where} : {what} dépasse {limit} caractères."
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Validator:
    def __init__(self) -> None:
        self.errors: list[str] = []
        # Questions met so far, by code: what a later condition may refer to.
        self.earlier: dict[str, dict] = {}
        self.count = 0

    def add(self, message: str | None) -> None:
        if message:
            self.errors.append(message)

    def document(self, definition: Any) -> None:
        if not isinstance(definition, dict):
            self.add("Le questionnaire doit être un objet JSON.")
            return
        for key in sorted(set(definition) - DOCUMENT_KEYS):
            self.add(f"Questionnaire : la clé « {key} » n'est pas connue.")
        self.add(
            _text_error(
                "Questionnaire", "le titre", definition.get("title"), MAX_TITLE, required=True
            )
        )
        self.add(
            _text_error(
                "Questionnaire",
                "l'introduction",
                definition.get("introduction", ""),
                MAX_INTRODUCTION,
                required=False,
            )
        )
        sections = definition.get("sections")
        if not isinstance(sections, list):
            self.add("Questionnaire : « sections » doit être une liste.")
            return
        if len(sections) > MAX_SECTIONS:
            self.add(f"Questionnaire : {MAX_SECTIONS} sections au plus ({len(sections)}).")
            return
        seen: set[str] = set()
        for position, section in enumerate(sections, start=1):
            self.section(position, section, seen)
        if self.count > MAX_QUESTIONS:
            self.add(f"Questionnaire : {MAX_QUESTIONS} questions au plus ({self.count}).")

    def section(self, position: int, section: Any, seen: set[str]) -> None:
        where = f"Section {position}"
        if not isinstance(section, dict):
            self.add(f"{where} : une section doit être un objet.")
            return
        code = section.get("code")
        if isinstance(code, str) and _is_code(code):
            where = f"Section {position} (« {code} »)"
            if code in seen:
                self.add(f"{where} : une autre section a déjà ce code.")
            seen.add(code)
        else:
            self.add(_code_error(where, code))
        for key in sorted(set(section) - SECTION_KEYS):
            self.add(f"{where} : la clé « {key} » n'est pas connue.")
        self.add(_text_error(where, "le titre", section.get("title"), MAX_TITLE, required=True))
        # A section's condition may only look at questions of earlier sections.
        self.condition(where, section.get("show_if"))
        questions = section.get("questions")
        if not isinstance(questions, list):
            self.add(f"{where} : « questions » doit être une liste.")
            return
        for index, item in enumerate(questions, start=1):
            self.count += 1
            if self.count > MAX_QUESTIONS:
                return
            self.question(f"{where}, question {index}", item)

    def question(self, where: str, item: Any) -> None:
        if not isinstance(item, dict):
            self.add(f"{where} : une question doit être un objet.")
            return
        code = item.get("code")
        if _is_code(code):
            where = f"{where} (« {code} »)"
        else:
            self.add(_code_error(where, code))
            code = None
        kind = item.get("kind")
        if kind not in KINDS:
            self.add(f"{where} : le type « {kind} » n'est pas connu.")
        else:
            for key in sorted(set(item) - COMMON_KEYS - KIND_KEYS[kind]):
                if key in QUESTION_KEYS:
                    self.add(f"{where} : « {key} » ne s'applique pas au type « {KINDS[kind]} ».")
                else:
                    self.add(f"{where} : la clé « {key} » n'est pas connue.")
        self.add(_text_error(where, "l'intitulé", item.get("label"), MAX_LABEL, required=True))
        self.add(_text_error(where, "l'aide", item.get("help"), MAX_HELP, required=False))
        if not isinstance(item.get("required", False), bool):
            self.add(f"{where} : « required » doit valoir true ou false.")
        # The condition is checked before the question joins the earlier ones: a
        # question cannot depend on itself.
        self.condition(where, item.get("show_if"))
        if kind in WITH_CHOICES:
            self.choices(where, item.get("choices"), "choix" if kind != GRID else "colonnes")
        if kind in WITH_OTHER and not isinstance(item.get("other", False), bool):
            self.add(f"{where} : « other » doit valoir true ou false.")
        if kind == GRID:
            self.items(where, item.get("items"))
        if kind == SCALE:
            self.scale(where, item.get("scale"))
        if kind == NUMBER:
            self.number(where, item.get("number"))
        if code is not None:
            if code in self.earlier:
                self.add(f"{where} : une autre question a déjà le code « {code} ».")
            else:
                self.earlier[code] = item

    def _labelled_list(self, where: str, entries: Any, what: str, limit: int) -> None:
        if not isinstance(entries, list):
            self.add(f"{where} : les {what} doivent être une liste.")
            return
        if len(entries) > limit:
            self.add(f"{where} : {limit} {what} au plus ({len(entries)}).")
            return
        seen: set[str] = set()
        for position, entry in enumerate(entries, start=1):
            at = f"{where}, {what} {position}"
            if not isinstance(entry, dict) or set(entry) != {"code", "label"}:
                self.add(f"{at} : chaque élément a un code et un libellé, rien d'autre.")
                continue
            code = entry["code"]
            if not _is_code(code):
                self.add(_code_error(at, code))
            elif code in seen:
                self.add(f"{at} : le code « {code} » est déjà pris dans cette liste.")
            seen.add(code)
            self.add(_text_error(at, "le libellé", entry["label"], MAX_LABEL, required=True))

    def choices(self, where: str, choices: Any, what: str) -> None:
        if not isinstance(choices, list) or len(choices) < 2:
            self.add(f"{where} : il faut au moins deux {what}.")
            if not isinstance(choices, list):
                return
        self._labelled_list(where, choices, what, MAX_CHOICES)
        for entry in choices:
            if isinstance(entry, dict) and entry.get("code") == OTHER:
                self.add(
                    f"{where} : le code « {OTHER} » est réservé à « {OTHER_LABEL} » : "
                    "cochez cette option plutôt que de l'écrire parmi les choix."
                )

    def items(self, where: str, items: Any) -> None:
        if not isinstance(items, list) or not items:
            self.add(f"{where} : une grille a au moins une ligne (élément).")
            return
        self._labelled_list(where, items, "lignes", MAX_ITEMS)

    def scale(self, where: str, scale: Any) -> None:
        if not isinstance(scale, dict) or set(scale) != {"min", "max", "min_label", "max_label"}:
            self.add(f"{where} : l'échelle a un minimum, un maximum et leurs deux libellés.")
            return
        low, high = scale["min"], scale["max"]
        if not (_is_int(low) and _is_int(high)):
            self.add(f"{where} : le minimum et le maximum de l'échelle sont des nombres entiers.")
        elif low >= high:
            self.add(f"{where} : le minimum de l'échelle doit être inférieur à son maximum.")
        elif high - low + 1 > MAX_SCALE_POINTS:
            self.add(f"{where} : une échelle a {MAX_SCALE_POINTS} points au plus (par ex. 0 à 10).")
        for key, what in (
            ("min_label", "le libellé du minimum"),
            ("max_label", "le libellé du maximum"),
        ):
            self.add(_text_error(where, what, scale[key], MAX_TITLE, required=False))

    def number(self, where: str, number: Any) -> None:
        if not isinstance(number, dict) or set(number) != {"min", "max", "unit"}:
            self.add(f"{where} : un nombre a un minimum, un maximum (ou null) et une unité.")
            return
        low, high = number["min"], number["max"]
        for bound, what in ((low, "le minimum"), (high, "le maximum")):
            if bound is not None and not _is_number(bound):
                self.add(f"{where} : {what} doit être un nombre ou rester vide.")
                return
        if low is not None and high is not None and low >= high:
            self.add(f"{where} : le minimum doit être inférieur au maximum.")
        self.add(_text_error(where, "l'unité", number["unit"], 40, required=False))

    def condition(self, where: str, condition: Any) -> None:
        if condition is None:
            return
        if not isinstance(condition, dict) or set(condition) != {"question", "in"}:
            self.add(f"{where} : la condition d'affichage nomme une question et des valeurs.")
            return
        code, wanted = condition["question"], condition["in"]
        target = self.earlier.get(code) if isinstance(code, str) else None
        if target is None:
            self.add(
                f"{where} : la condition porte sur « {code} », qui n'est pas une question "
                "placée avant celle-ci."
            )
            return
        if target.get("kind") not in VALUED_KINDS:
            self.add(
                f"{where} : la condition porte sur « {code} », dont les réponses ne sont pas des "
                "choix (choix unique, choix multiple ou oui / non seulement)."
            )
            return
        if not isinstance(wanted, list) or not wanted:
            self.add(f"{where} : la condition donne au moins une valeur de « {code} ».")
            return
        known = {value for value, _label in values_of(target)}
        for value in wanted:
            if not isinstance(value, str) or value not in known:
                self.add(
                    f"{where} : la condition attend « {value} », qui n'est pas une réponse "
                    f"possible de « {code} » ({', '.join(sorted(known))})."
                )
        if len(set(map(str, wanted))) != len(wanted):
            self.add(f"{where} : la condition répète une valeur.")


def validate(definition: Any) -> list[str]:
    """Every French error of the definition; [] when it is valid."""
    validator = _Validator()
    validator.document(definition)
    return validator.errors


def check(definition: Any) -> None:
    """Raise DefinitionError with every error, or return."""
    errors = validate(definition)
    if errors:
        raise DefinitionError(errors)
