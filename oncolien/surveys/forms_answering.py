"""The answering page's form, built from the survey's definition: what a section's
page posts, read into `RawAnswer`s, and the rows its template shows.

Field names: `q-<code>` (one value, or the options ticked), `q-<code>-autre` (the
« autre, précisez » text), `q-<code>__<item>` (a line of a grid).
"""

from typing import Any

from django import forms
from django.http import QueryDict

from oncolien.surveys.answers import RawAnswer, choices_of, display
from oncolien.surveys.conditions import OTHER, YES_NO, questions
from oncolien.surveys.models import CptsRegisterEntry, RespondentGroup


def field_name(code: str) -> str:
    return f"q-{code}"


def posted_answers(post: QueryDict, on_page: list[tuple[dict, Any]]) -> dict[str, RawAnswer]:
    posted = {}
    for question, _ in on_page:
        code = question["code"]
        name = field_name(code)
        raw = RawAnswer(values=post.getlist(name), other=post.get(f"{name}-autre", ""))
        if question["kind"] == "grid":
            raw.values = []
            raw.items = {
                item["code"]: post.get(f"{name}__{item['code']}", "")
                for item in question.get("items", [])
            }
        posted[code] = raw
    return posted


def _condition_sentence(definition: dict, condition: dict) -> str:
    # « Si vous avez répondu « Oui » à la question « … » » — the page cannot hide the
    # question while the respondent answers the one it depends on (no script), so it
    # says when it applies; the server drops the answer when it does not.
    labels = {}
    asked = ""
    for _, question in questions(definition):
        if question["code"] == condition["question"]:
            asked = question["label"]
            labels = {option["code"]: option["label"] for option in choices_of(question)}
            if question["kind"] == "yes_no":
                labels = dict(YES_NO)
    answers = " ou ".join(f"« {labels.get(value, value)} »" for value in condition["in"])
    return f"Uniquement si vous avez répondu {answers} à la question « {asked} »."


def question_rows(
    definition: dict,
    on_page: list[tuple[dict, Any]],
    answers: dict,
    other_texts: dict,
    errors: dict[str, str] | None = None,
    posted: dict[str, RawAnswer] | None = None,
) -> list[dict]:
    """What the template needs for each question of the page; after a refused post,
    the values posted, so that nothing typed is lost."""
    errors = errors or {}
    rows = []
    for question, condition in on_page:
        code = question["code"]
        value = answers.get(code)
        raw = (posted or {}).get(code)
        if raw is not None:
            chosen = [v for v in raw.values if v]
            text = raw.values[0] if raw.values else ""
            other = raw.other
            grid = raw.items
        else:
            chosen = (
                value if isinstance(value, list) else ([str(value)] if value is not None else [])
            )
            text = "" if value is None or isinstance(value, (list, dict)) else str(value)
            if question["kind"] == "number":
                text = text.replace(".", ",")
            other = other_texts.get(code, "")
            grid = value if isinstance(value, dict) else {}
        kind = question["kind"]
        options = choices_of(question)
        if kind == "yes_no":
            options = [{"code": c, "label": label} for c, label in YES_NO]
        if kind == "scale":
            scale = question.get("scale", {})
            options = [
                {"code": str(n), "label": str(n)}
                for n in range(int(scale.get("min", 0)), int(scale.get("max", 10)) + 1)
            ]
        rows.append(
            {
                "code": code,
                "name": field_name(code),
                "kind": kind,
                "label": question["label"],
                "help": question.get("help", ""),
                "required": bool(question.get("required")),
                "condition": _condition_sentence(definition, condition) if condition else "",
                "options": [{**option, "checked": option["code"] in chosen} for option in options],
                "has_other": bool(question.get("other")) and kind in ("single", "multiple"),
                "other_code": OTHER,
                "other": other,
                "text": text,
                "number": question.get("number") or {},
                "scale": question.get("scale") or {},
                "items": [
                    {
                        **item,
                        "name": f"{field_name(code)}__{item['code']}",
                        "options": [
                            {**option, "checked": grid.get(item["code"]) == option["code"]}
                            for option in choices_of(question)
                        ],
                    }
                    for item in question.get("items", [])
                ],
                "error": errors.get(code, ""),
            }
        )
    return rows


def review_rows(definition: dict, answers: dict, other_texts: dict, shown: set[str]) -> list[dict]:
    """Every shown question, section by section, with the answer read back."""
    rows: list[dict] = []
    for index, section in enumerate(definition.get("sections", [])):
        items = [
            {
                "code": question["code"],
                "label": question["label"],
                "required": bool(question.get("required")),
                "answer": display(
                    question, answers.get(question["code"]), other_texts.get(question["code"], "")
                ),
            }
            for question in section.get("questions", [])
            if question["code"] in shown
        ]
        if items:
            rows.append({"index": index, "title": section.get("title", ""), "items": items})
    return rows


class StartForm(forms.Form):
    """The « questions de référence »: the respondent's CPTS (open link only) and group."""

    entry = forms.ModelChoiceField(
        label="Votre CPTS",
        queryset=CptsRegisterEntry.objects.none(),
        empty_label="Choisissez votre CPTS",
        error_messages={"required": "Choisissez votre CPTS dans la liste."},
    )
    group = forms.ChoiceField(
        label="Vous répondez en tant que",
        choices=RespondentGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez à quel titre vous répondez."},
    )

    def __init__(
        self, *args: Any, register_id: int | None, ask_entry: bool, ask_group: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if ask_entry:
            entry_field = self.fields["entry"]
            assert isinstance(entry_field, forms.ModelChoiceField)
            entry_field.queryset = CptsRegisterEntry.objects.filter(
                register_id=register_id
            ).order_by("name")
        else:
            del self.fields["entry"]
        if not ask_group:
            del self.fields["group"]
