"""The builder's edits of a definition: each returns a new document and leaves the
one it was given untouched, so that the caller validates the whole result and saves
it, or saves nothing (`services.definition_save`).

Codes are made from labels when the person building the survey gives none
(« Connaissez-vous les SOS ? » → `connaissez-vous-les-sos`), unique where they must
be; once made, they do not follow later changes of the label (imports, exports and
coded themes name them).
"""

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.text import slugify

from oncolien.surveys.definition import CODE_PATTERN, MAX_CODE, iter_questions, values_of

# Codes made from labels are kept short: they head the columns of imports and exports.
MADE_CODE_LENGTH = 40


class BuilderError(Exception):
    """A line the builder cannot read; its message is French."""


def make_code(text: str, taken: Iterable[str], *, fallback: str = "q") -> str:
    """A slug of `text` not in `taken` (a suffix -2, -3… when it is)."""
    base = slugify(text)[:MADE_CODE_LENGTH].strip("-_") or fallback
    base = re.sub(r"-{2,}", "-", base)
    taken = set(taken)
    code, number = base, 2
    while code in taken:
        code = f"{base}-{number}"
        number += 1
    return code


def parse_labelled_lines(text: str) -> list[dict[str, str]]:
    """« code | libellé » or « libellé » per line → [{"code", "label"}]; a blank line
    is skipped. Codes missing are made from the labels, unique within the list."""
    entries: list[dict[str, str]] = []
    pending: list[tuple[int, str]] = []  # (position, label) of lines without a code
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "|" in line:
            code, _bar, label = (part.strip() for part in line.partition("|"))
            if not code or not label or "|" in label:
                raise BuilderError(
                    f"Ligne {number} : écrivez « code | libellé », ou le libellé seul."
                )
            if len(code) > MAX_CODE or not CODE_PATTERN.match(code):
                raise BuilderError(
                    f"Ligne {number} : le code « {code} » n'est pas valide (lettres minuscules "
                    "sans accent, chiffres, tirets ou soulignés)."
                )
            entries.append({"code": code, "label": label})
        else:
            pending.append((len(entries), line))
            entries.append({"code": "", "label": line})
    taken = {entry["code"] for entry in entries if entry["code"]}
    for position, label in pending:
        code = make_code(label, taken, fallback="choix")
        taken.add(code)
        entries[position]["code"] = code
    return entries


def labelled_lines(entries: Iterable[Mapping[str, str]]) -> str:
    """The text `parse_labelled_lines` reads back into the same entries."""
    return "\n".join(f"{entry['code']} | {entry['label']}" for entry in entries)


def parse_values(text: str, question: Mapping[str, Any] | None) -> list[str]:
    """The values of a condition, one per line or separated by commas: codes, or the
    labels of the question's choices (read back as their codes)."""
    by_label = {}
    if question is not None:
        by_label = {label.casefold(): code for code, label in values_of(question)}
    values: list[str] = []
    for part in re.split(r"[\n,;]", text):
        value = part.strip()
        if not value:
            continue
        value = by_label.get(value.casefold(), value)
        if value not in values:
            values.append(value)
    return values


def question_codes(definition: Mapping[str, Any]) -> set[str]:
    return {q["code"] for q in iter_questions(definition) if isinstance(q.get("code"), str)}


def section_codes(definition: Mapping[str, Any]) -> set[str]:
    return {s["code"] for s in definition.get("sections", []) if isinstance(s.get("code"), str)}


def _section_index(definition: Mapping[str, Any], code: str) -> int:
    for index, section in enumerate(definition["sections"]):
        if section.get("code") == code:
            return index
    raise KeyError(code)


def _question_place(definition: Mapping[str, Any], code: str) -> tuple[int, int]:
    for s_index, section in enumerate(definition["sections"]):
        for q_index, item in enumerate(section["questions"]):
            if item.get("code") == code:
                return s_index, q_index
    raise KeyError(code)


def questions_before(
    definition: Mapping[str, Any],
    *,
    section: str | None = None,
    question: str | None = None,
    through: str | None = None,
) -> list[dict]:
    """The questions a condition may refer to: those of the sections before `section`
    (a section's condition), those before `question`, or those up to the end of the
    section `through` (a question being added at its end)."""
    found: list[dict] = []
    for current in definition.get("sections", []):
        if section is not None and current.get("code") == section:
            return found
        for item in current.get("questions", []):
            if question is not None and item.get("code") == question:
                return found
            found.append(item)
        if through is not None and current.get("code") == through:
            return found
    return found


# --- Edits


def header_set(definition: Mapping[str, Any], *, title: str, introduction: str) -> dict:
    result = copy.deepcopy(dict(definition))
    result["title"], result["introduction"] = title, introduction
    return result


def section_add(
    definition: Mapping[str, Any], *, title: str, code: str = "", show_if: dict | None = None
) -> tuple[dict, str]:
    result = copy.deepcopy(dict(definition))
    code = code or make_code(title, section_codes(result), fallback="section")
    result["sections"].append({"code": code, "title": title, "show_if": show_if, "questions": []})
    return result, code


def section_update(
    definition: Mapping[str, Any],
    section: str,
    *,
    title: str,
    code: str,
    show_if: dict | None,
) -> dict:
    result = copy.deepcopy(dict(definition))
    target = result["sections"][_section_index(result, section)]
    target.update(code=code or section, title=title, show_if=show_if)
    return result


def section_delete(definition: Mapping[str, Any], section: str) -> dict:
    result = copy.deepcopy(dict(definition))
    del result["sections"][_section_index(result, section)]
    return result


def section_move(definition: Mapping[str, Any], section: str, offset: int) -> dict:
    result = copy.deepcopy(dict(definition))
    sections = result["sections"]
    index = _section_index(result, section)
    target = index + offset
    if 0 <= target < len(sections):
        sections.insert(target, sections.pop(index))
    return result


def question_add(definition: Mapping[str, Any], section: str, question: dict) -> tuple[dict, str]:
    result = copy.deepcopy(dict(definition))
    question = dict(question)
    if not question.get("code"):
        question["code"] = make_code(question.get("label", ""), question_codes(result))
    result["sections"][_section_index(result, section)]["questions"].append(question)
    return result, question["code"]


def question_replace(definition: Mapping[str, Any], code: str, question: dict) -> dict:
    result = copy.deepcopy(dict(definition))
    s_index, q_index = _question_place(result, code)
    question = dict(question)
    question["code"] = question.get("code") or code
    result["sections"][s_index]["questions"][q_index] = question
    return result


def question_delete(definition: Mapping[str, Any], code: str) -> dict:
    result = copy.deepcopy(dict(definition))
    s_index, q_index = _question_place(result, code)
    del result["sections"][s_index]["questions"][q_index]
    return result


def question_move(definition: Mapping[str, Any], code: str, offset: int) -> dict:
    """One place up (offset -1) or down (+1); past the first or last question of its
    section, into the end of the previous section or the start of the next one."""
    result = copy.deepcopy(dict(definition))
    sections = result["sections"]
    s_index, q_index = _question_place(result, code)
    questions = sections[s_index]["questions"]
    target = q_index + offset
    if 0 <= target < len(questions):
        questions.insert(target, questions.pop(q_index))
    elif target < 0 and s_index > 0:
        sections[s_index - 1]["questions"].append(questions.pop(q_index))
    elif target >= len(questions) and s_index + 1 < len(sections):
        sections[s_index + 1]["questions"].insert(0, questions.pop(q_index))
    return result


def question_section(definition: Mapping[str, Any], code: str) -> str:
    s_index, _q_index = _question_place(definition, code)
    return str(definition["sections"][s_index]["code"])


def find_question(definition: Mapping[str, Any], code: str) -> dict:
    s_index, q_index = _question_place(definition, code)
    return dict(definition["sections"][s_index]["questions"][q_index])


def find_section(definition: Mapping[str, Any], code: str) -> dict:
    return dict(definition["sections"][_section_index(definition, code)])
