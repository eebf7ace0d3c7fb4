"""The builder's forms: each reads what a person typed into a piece of definition
(a section, a question, a condition); `builder.py` puts it in place and
`definition.validate` judges the whole."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from oncolien.json_documents import json_object
from oncolien.surveys import builder, field_templates
from oncolien.surveys.definition import (
    GRID,
    KINDS,
    NUMBER,
    SCALE,
    VALUED_KINDS,
    WITH_CHOICES,
    WITH_OTHER,
)
from oncolien.surveys.models import CptsRegister
from oncolien.web.forms import DateInput

MAX_UPLOAD_BYTES = 1_000_000

CODE_HELP = (
    "Lettres minuscules sans accent, chiffres et tirets ; laissé vide, il est fait à partir "
    "du libellé. Il nomme la colonne des imports et des exports : il ne change plus ensuite."
)


def _code_field(label: str = "Code") -> forms.SlugField:
    return forms.SlugField(label=label, max_length=80, required=False, help_text=CODE_HELP)


class SurveyCreateForm(forms.Form):
    code = forms.SlugField(
        label="Code de l'enquête",
        max_length=80,
        help_text="Par exemple « sos-2026 » : lettres minuscules, chiffres et tirets.",
    )
    title = forms.CharField(
        label="Titre", max_length=200, required=False, help_text="Vide : le titre du modèle."
    )
    template = forms.ChoiceField(label="Questionnaire de départ", required=False)
    opens_on = forms.DateField(label="Ouverture", required=False, widget=DateInput())
    closes_on = forms.DateField(label="Clôture", required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ChoiceField)
        template.choices = [("", "Questionnaire vide"), *field_templates.choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("template") and not data.get("title"):
            self.add_error("title", "Donnez un titre à l'enquête (ou partez d'un modèle).")
        return data


class SurveySettingsForm(forms.Form):
    title = forms.CharField(label="Titre de l'enquête", max_length=200)
    opens_on = forms.DateField(label="Ouverture", required=False, widget=DateInput())
    closes_on = forms.DateField(label="Clôture", required=False, widget=DateInput())
    register = forms.ModelChoiceField(
        label="Registre des CPTS de référence",
        queryset=CptsRegister.objects.all(),
        required=False,
        empty_label="Aucun registre",
        help_text="Les CPTS à qui envoyer les liens personnels, et la population à laquelle "
        "comparer les répondants (représentativité).",
    )
    reminder_days = forms.IntegerField(
        label="Relancer après (jours)", min_value=1, max_value=60, required=False
    )
    max_reminders = forms.IntegerField(
        label="Relances au plus", min_value=0, max_value=5, required=False
    )
    results_shared = forms.BooleanField(
        label="Partager les résultats avec les coordinations des CPTS",
        required=False,
        help_text="Elles les lisent avec les petits effectifs protégés, sans texte libre.",
    )


class HeaderForm(forms.Form):
    title = forms.CharField(label="Titre du questionnaire (vu par les répondants)", max_length=200)
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class _ConditionMixin(forms.Form):
    """« Afficher seulement si » : a question placed before, and the values it must take."""

    condition_question = forms.ChoiceField(
        label="Afficher seulement si la question",
        required=False,
        error_messages={
            "invalid_choice": "« %(value)s » n'est pas une question placée avant celle-ci, "
            "à choix unique, multiple ou oui / non."
        },
    )
    condition_values = forms.CharField(
        label="a pour réponse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Une valeur par ligne (ou séparées par des virgules) : le code ou le libellé du choix.",
    )

    def set_condition_targets(self, earlier: list[dict]) -> None:
        self._earlier = {q["code"]: q for q in earlier}
        field = self.fields["condition_question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— toujours afficher —")] + [
            (q["code"], f"{q['code']} — {q['label'][:80]}")
            for q in earlier
            if q.get("kind") in VALUED_KINDS
        ]

    def show_if(self) -> dict | None:
        code = self.cleaned_data.get("condition_question")
        text = self.cleaned_data.get("condition_values", "")
        if not code:
            return None
        return {"question": code, "in": builder.parse_values(text, self._earlier.get(code))}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("condition_question") and not (data.get("condition_values") or "").strip():
            self.add_error(
                "condition_values", "Donnez au moins une réponse qui affiche la question."
            )
        return data

    @staticmethod
    def condition_initial(show_if: dict | None) -> dict[str, str]:
        if not show_if:
            return {}
        return {
            "condition_question": show_if.get("question", ""),
            "condition_values": "\n".join(str(v) for v in show_if.get("in", [])),
        }


class SectionForm(_ConditionMixin):
    title = forms.CharField(label="Titre de la section", max_length=200)
    code = _code_field()

    field_order = ["title", "code", "condition_question", "condition_values"]


class QuestionForm(_ConditionMixin):
    kind = forms.ChoiceField(label="Type de question", choices=list(KINDS.items()))
    label = forms.CharField(
        label="Intitulé", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    code = _code_field()
    help = forms.CharField(
        label="Aide (facultative)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label="Réponse obligatoire", required=False)
    choices = forms.CharField(
        label="Choix (choix unique, multiple ; colonnes d'une grille)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Un choix par ligne : « code | libellé », ou le libellé seul (le code en est fait).",
    )
    other = forms.BooleanField(
        label="Ajouter « Autre, précisez » (choix unique ou multiple)", required=False
    )
    items = forms.CharField(
        label="Lignes de la grille",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Un élément par ligne : « code | libellé », ou le libellé seul.",
    )
    scale_min = forms.IntegerField(label="Minimum de l'échelle", required=False, initial=0)
    scale_max = forms.IntegerField(label="Maximum de l'échelle", required=False, initial=10)
    scale_min_label = forms.CharField(label="Libellé du minimum", required=False, max_length=200)
    scale_max_label = forms.CharField(label="Libellé du maximum", required=False, max_length=200)
    number_min = forms.DecimalField(label="Nombre minimum", required=False)
    number_max = forms.DecimalField(label="Nombre maximum", required=False)
    number_unit = forms.CharField(label="Unité", required=False, max_length=40)

    field_order = [
        "kind",
        "label",
        "code",
        "help",
        "required",
        "choices",
        "other",
        "items",
        "scale_min",
        "scale_max",
        "scale_min_label",
        "scale_max_label",
        "number_min",
        "number_max",
        "number_unit",
        "condition_question",
        "condition_values",
    ]

    def __init__(self, *args: Any, code_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if code_locked:
            # Once a survey was opened, responses and exports name its question codes.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "Le code ne change plus : l'enquête a été ouverte."

    def _lines(self, name: str) -> list[dict[str, str]]:
        try:
            return builder.parse_labelled_lines(self.cleaned_data.get(name) or "")
        except builder.BuilderError as error:
            self.add_error(name, str(error))
            return []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in WITH_CHOICES:
            self._choices = self._lines("choices")
        if kind == GRID:
            self._items = self._lines("items")
        if kind == SCALE and (data.get("scale_min") is None or data.get("scale_max") is None):
            self.add_error("scale_max", "Donnez le minimum et le maximum de l'échelle.")
        return data

    def question(self) -> dict[str, Any]:
        """The question as the definition holds it (code "" when it is to be made)."""
        data = self.cleaned_data
        kind = data["kind"]
        result: dict[str, Any] = {
            "code": data.get("code") or "",
            "kind": kind,
            "label": data["label"].strip(),
        }
        if data.get("help", "").strip():
            result["help"] = data["help"].strip()
        result["required"] = bool(data.get("required"))
        if kind in WITH_CHOICES:
            result["choices"] = self._choices
        if kind in WITH_OTHER:
            result["other"] = bool(data.get("other"))
        if kind == GRID:
            result["items"] = self._items
        if kind == SCALE:
            result["scale"] = {
                "min": data["scale_min"],
                "max": data["scale_max"],
                "min_label": data.get("scale_min_label", "").strip(),
                "max_label": data.get("scale_max_label", "").strip(),
            }
        if kind == NUMBER:
            result["number"] = {
                "min": _json_number(data.get("number_min")),
                "max": _json_number(data.get("number_max")),
                "unit": data.get("number_unit", "").strip(),
            }
        result["show_if"] = self.show_if()
        return result

    @classmethod
    def initial_of(cls, question: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.get("kind"),
            "label": question.get("label", ""),
            "code": question.get("code", ""),
            "help": question.get("help", ""),
            "required": question.get("required", False),
            "choices": builder.labelled_lines(question.get("choices", [])),
            "other": question.get("other", False),
            "items": builder.labelled_lines(question.get("items", [])),
            **cls.condition_initial(question.get("show_if")),
        }
        scale = question.get("scale")
        if scale:
            initial.update(
                scale_min=scale["min"],
                scale_max=scale["max"],
                scale_min_label=scale["min_label"],
                scale_max_label=scale["max_label"],
            )
        number = question.get("number")
        if number:
            initial.update(
                number_min=number["min"], number_max=number["max"], number_unit=number["unit"]
            )
        return initial


def _json_number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(label="Fichier JSON du questionnaire")

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Le fichier dépasse 1 Mo.")
        return json_object(upload.read(), refused=_refused, source=upload.name)


def _refused(errors: list[str], *, source: str) -> ValidationError:
    return ValidationError(errors)
