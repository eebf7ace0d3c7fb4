"""One question's answer, cleaned and checked: the same rules for the answering pages
and for an imported file.

The input of one question is a `RawAnswer` (what a form posted, or what the cells of
an imported row hold); `clean_answer` turns it into the value stored in
`Response.answers` (the shapes of `conditions.py`) and the « autre, précisez » text,
or raises `AnswerError` with a French message. A choice may be given by its code or
by its label (online survey tools export labels); an empty input is « not answered ».

Whether a question must be answered depends on what the respondent was shown:
`missing_required` asks only the shown questions, and `keep_shown` drops the
answers to questions a later change of answer hid.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from oncolien.surveys.conditions import OTHER, YES_NO, questions, shown_questions

TEXT_MAX = 2000
OTHER_TEXT_MAX = 300
OTHER_LABEL = "Autre, précisez"
YES_NO_WORDS = {
    "oui": "oui",
    "o": "oui",
    "yes": "oui",
    "non": "non",
    "n": "non",
    "no": "non",
    "nsp": "nsp",
    "ne sait pas": "nsp",
    "ne sais pas": "nsp",
    "je ne sais pas": "nsp",
}


class AnswerError(ValueError):
    """The input of one question is not a valid answer; the message says why, in French."""


@dataclass
class RawAnswer:
    """What was given for one question: `values` (one for most kinds, the chosen
    options for a multiple choice), the « autre » text, the grid's {item: choice}."""

    values: list[str] = field(default_factory=list)
    other: str = ""
    items: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return (
            not any(v.strip() for v in self.values)
            and not self.other.strip()
            and not any(v.strip() for v in self.items.values())
        )


def fold(text: str) -> str:
    # Case, accents and spacing do not distinguish two choices.
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).replace("’", "'")


def choices_of(question: Mapping[str, Any]) -> list[dict]:
    """The question's options as shown, « autre, précisez » last when it has one."""
    options = [dict(choice) for choice in question.get("choices", [])]
    has_other = question.get("other") and question["kind"] in ("single", "multiple")
    if has_other and not any(choice["code"] == OTHER for choice in options):
        options.append({"code": OTHER, "label": OTHER_LABEL})
    return options


def _choice_code(options: list[dict], given: str) -> str:
    wanted = fold(given)
    for option in options:
        if wanted in (fold(option["code"]), fold(option["label"])):
            return option["code"]
    allowed = ", ".join(f"« {option['label']} »" for option in options)
    raise AnswerError(f"« {given.strip()} » n'est pas un choix proposé (choix : {allowed}).")


def _number(given: str) -> Decimal:
    # French writing: a decimal comma, spaces (ordinary or non-breaking) between thousands.
    text = re.sub(r"[\s\u00a0\u202f]", "", given).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise AnswerError(
            f"« {given.strip()} » n'est pas un nombre (exemple : 12 ou 12,5)."
        ) from None
    if not number.is_finite():
        raise AnswerError(f"« {given.strip()} » n'est pas un nombre (exemple : 12 ou 12,5).")
    return number


def _as_json_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _french(number: Decimal | int | float) -> str:
    return str(number).replace(".", ",")


def _single_value(raw: RawAnswer) -> str:
    given = [v for v in raw.values if v.strip()]
    if len(given) > 1:
        raise AnswerError("Une seule réponse est attendue.")
    return given[0] if given else ""


def _other_text(raw: RawAnswer) -> str:
    text = raw.other.strip()
    if not text:
        raise AnswerError("Précisez votre réponse « autre ».")
    if len(text) > OTHER_TEXT_MAX:
        raise AnswerError(f"La précision « autre » dépasse {OTHER_TEXT_MAX} caractères.")
    return text


def clean_answer(question: Mapping[str, Any], raw: RawAnswer) -> tuple[Any, str]:
    """(value, « autre » text) of one question, (None, "") when not answered, or
    AnswerError."""
    if raw.is_empty:
        return None, ""
    kind = question["kind"]
    if kind == "single":
        given = _single_value(raw)
        if not given:
            if raw.other.strip() and question.get("other"):
                return OTHER, _other_text(raw)
            raise AnswerError("Choisissez une réponse.")
        code = _choice_code(choices_of(question), given)
        return code, _other_text(raw) if code == OTHER else ""
    if kind == "multiple":
        codes: list[str] = []
        for given in raw.values:
            if given.strip():
                code = _choice_code(choices_of(question), given)
                if code not in codes:
                    codes.append(code)
        if raw.other.strip() and question.get("other") and OTHER not in codes:
            codes.append(OTHER)
        if not codes:
            raise AnswerError("Cochez au moins une réponse.")
        # Stored in the question's order, whatever order they came in.
        order = [option["code"] for option in choices_of(question)]
        codes.sort(key=order.index)
        return codes, _other_text(raw) if OTHER in codes else ""
    if kind == "yes_no":
        given = fold(_single_value(raw))
        if given not in YES_NO_WORDS:
            labels = ", ".join(f"« {label} »" for _, label in YES_NO)
            raise AnswerError(f"Répondez par {labels}.")
        return YES_NO_WORDS[given], ""
    if kind == "scale":
        scale = question.get("scale", {})
        low, high = int(scale.get("min", 0)), int(scale.get("max", 10))
        number = _number(_single_value(raw))
        if number != number.to_integral_value() or not low <= number <= high:
            raise AnswerError(f"Choisissez un nombre entier de {low} à {high}.")
        return int(number), ""
    if kind == "number":
        bounds = question.get("number", {}) or {}
        number = _number(_single_value(raw))
        least, most = bounds.get("min"), bounds.get("max")
        if least is not None and number < Decimal(str(least)):
            raise AnswerError(f"Le nombre doit être au moins {_french(least)}.")
        if most is not None and number > Decimal(str(most)):
            raise AnswerError(f"Le nombre doit être au plus {_french(most)}.")
        return _as_json_number(number), ""
    if kind == "text":
        text = "\n".join(v.strip() for v in raw.values if v.strip())
        if len(text) > TEXT_MAX:
            raise AnswerError(f"La réponse dépasse {TEXT_MAX} caractères ({len(text)}).")
        return text, ""
    if kind == "grid":
        items = {item["code"]: item for item in question.get("items", [])}
        options = choices_of(question)
        value: dict[str, str] = {}
        for item_code, given in raw.items.items():
            if not given.strip():
                continue
            if item_code not in items:
                raise AnswerError(f"« {item_code} » n'est pas une ligne de ce tableau.")
            try:
                value[item_code] = _choice_code(options, given)
            except AnswerError as error:
                raise AnswerError(f"{items[item_code]['label']} : {error}") from None
        if not value:
            return None, ""
        return {code: value[code] for code in items if code in value}, ""
    raise AnswerError(f"Type de question inconnu : {kind}.")


def is_complete(question: Mapping[str, Any], value: Any) -> bool:
    """Whether a stored value answers the question fully (a grid: every line)."""
    if value is None or value == "" or value == []:
        return False
    if question["kind"] == "grid":
        return all(item["code"] in value for item in question.get("items", []))
    return True


def missing_required(
    definition: Mapping[str, Any], answers: Mapping[str, Any], codes: Iterable[str] | None = None
) -> dict[str, str]:
    """{code: French message} of the required questions shown to this respondent
    (among `codes`, all when None) that are not answered."""
    shown = shown_questions(definition, answers)
    wanted = None if codes is None else set(codes)
    missing = {}
    for _, question in questions(definition):
        code = question["code"]
        if wanted is not None and code not in wanted:
            continue
        if (
            code in shown
            and question.get("required")
            and not is_complete(question, answers.get(code))
        ):
            missing[code] = (
                "Répondez à chaque ligne de ce tableau."
                if question["kind"] == "grid" and answers.get(code)
                else "Cette question est obligatoire."
            )
    return missing


def keep_shown(
    definition: Mapping[str, Any], answers: Mapping[str, Any], other_texts: Mapping[str, str]
) -> tuple[dict, dict]:
    """The answers (and « autre » texts) of the questions shown, those of hidden
    questions dropped: a respondent who changes an earlier answer never keeps the
    answers to questions they can no longer see."""
    shown = shown_questions(definition, answers)
    kept = {code: value for code, value in answers.items() if code in shown}
    texts = {code: text for code, text in other_texts.items() if code in kept and text}
    return kept, texts


def display(question: Mapping[str, Any], value: Any, other_text: str = "") -> str:
    """The answer as the respondent reads it back (the review page)."""
    if value is None:
        return ""
    labels = {option["code"]: option["label"] for option in choices_of(question)}
    kind = question["kind"]
    if kind == "single":
        label = labels.get(value, value)
        return f"{label} : {other_text}" if value == OTHER and other_text else label
    if kind == "multiple":
        shown = []
        for code in value:
            label = labels.get(code, code)
            shown.append(f"{label} : {other_text}" if code == OTHER and other_text else label)
        return " ; ".join(shown)
    if kind == "yes_no":
        return dict(YES_NO).get(value, value)
    if kind == "number":
        unit = (question.get("number") or {}).get("unit", "")
        return f"{_french(value)} {unit}".strip()
    if kind == "grid":
        items = {item["code"]: item["label"] for item in question.get("items", [])}
        return " ; ".join(
            f"{items.get(code, code)} : {labels.get(choice, choice)}"
            for code, choice in value.items()
        )
    return str(value)
