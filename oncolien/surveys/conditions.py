"""Which questions a respondent was shown, from the answers they gave.

A section or a question may carry `show_if`: {"question": <code>, "in": [<values>]}.
It is shown when the answer to that (earlier) question is one of the values — for a
multiple choice, when any chosen option is one of them; a question inside a hidden
section is hidden; a condition on a hidden question is false. The analysis counts
« those to whom the question was shown » with this same function, so the page a
respondent saw and the denominator of its results cannot disagree.

Answer shapes ({question code: value} in `Response.answers`):
- single: a choice code (« autre » for « autre, précisez », its text in other_texts)
- multiple: a list of choice codes (may hold « autre »)
- yes_no: "oui", "non" or "nsp" (ne sait pas)
- scale: an integer within the question's scale
- number: an integer or a decimal number (JSON number)
- text: a non-empty string
- grid: {item code: choice code} (the grid's choices are the question's `choices`)
A question not answered has no key.
"""

from collections.abc import Iterator, Mapping
from typing import Any

OTHER = "autre"
YES_NO = (("oui", "Oui"), ("non", "Non"), ("nsp", "Ne sait pas"))


def questions(definition: Mapping[str, Any]) -> Iterator[tuple[dict, dict]]:
    """Every (section, question) of a definition, in order."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def _holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any], shown: set) -> bool:
    if not condition:
        return True
    code = condition["question"]
    if code not in shown:
        return False
    value = answers.get(code)
    wanted = set(condition["in"])
    if isinstance(value, list):
        return bool(wanted.intersection(value))
    return value in wanted


def shown_questions(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> set[str]:
    """The codes of the questions shown to a respondent who gave `answers`."""
    shown: set[str] = set()
    for section in definition.get("sections", []):
        if not _holds(section.get("show_if"), answers, shown):
            continue
        for question in section.get("questions", []):
            if _holds(question.get("show_if"), answers, shown):
                shown.add(question["code"])
    return shown
