"""The forms of shared practices: the practice itself, the public proposal (with
its honeypot), the radar questionnaire, a document, and the review decision."""

from typing import Any

from django import forms

from oncolien.practices import radar as radar_data
from oncolien.practices.documents import MAX_DOCUMENT_LABEL
from oncolien.practices.models import DocumentKind
from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts

FIGURE_HELP = (
    "Un chiffre par ligne : la valeur, deux-points, ce qu'elle compte "
    "(par exemple « 9 : infirmières formées à la coordination »)."
)


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class PracticeForm(forms.Form):
    title = forms.CharField(label="Titre de l'action", max_length=200)
    care_types = forms.ModelMultipleChoiceField(
        label="Soins de support concernés",
        queryset=CareType.objects.order_by("position", "name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _text("L'action en bref", required=True)
    origin = _text("Naissance du projet")
    step_screening = _text("Étape 1 — Repérage et orientation", rows=3)
    step_care = _text("Étape 2 — Prise en charge", rows=3)
    step_support = _text("Étape 3 — Soutien", rows=3)
    step_follow_up = _text("Étape 4 — Suivi et accompagnement", rows=3)
    key_figures = _text("Chiffres clés", rows=4, help_text=FIGURE_HELP)
    partners = _text("Partenaires", rows=3)
    costs_funding = _text("Coûts et financement", rows=3)
    obstacles_levers = _text("Freins et leviers", rows=3)
    perspectives = _text("Perspectives", rows=3)
    contact = forms.CharField(label="Contact", max_length=300, required=False)

    def clean_key_figures(self) -> list[dict[str, str]]:
        figures = []
        for number, line in enumerate(self.cleaned_data["key_figures"].splitlines(), start=1):
            if not line.strip():
                continue
            value, separator, label = line.partition(":")
            if not separator or not value.strip() or not label.strip():
                raise forms.ValidationError(
                    f"Ligne {number} : écrivez la valeur, deux-points, puis ce qu'elle compte."
                )
            figures.append({"value": value.strip(), "label": label.strip()})
        return figures

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("care_types", None)
        return data

    @staticmethod
    def initial_of(practice: Any) -> dict[str, Any]:
        initial = {name: getattr(practice, name) for name in PracticeForm.base_fields}
        initial["care_types"] = list(practice.care_types.all())
        initial["key_figures"] = "\n".join(
            f"{figure['value']} : {figure['label']}" for figure in practice.key_figures
        )
        return initial


class ProposalForm(PracticeForm):
    """The public « Parlez-nous de vos actions » form: no account."""

    cpts = forms.ModelChoiceField(
        label="La CPTS qui mène l'action",
        queryset=Cpts.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choisissez la CPTS",
    )
    proposer_name = forms.CharField(label="Votre nom", max_length=150, required=False)
    proposer_email = forms.EmailField(
        label="Votre courriel",
        required=False,
        help_text="Facultatif : seulement pour que l'équipe régionale puisse vous répondre ; jamais publié.",
    )
    # The honeypot: hidden from people and screen readers, filled in by robots.
    homepage = forms.CharField(
        label="Ne pas remplir",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    field_order = ["cpts"]

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get("homepage", "")).strip())

    def values(self) -> dict[str, Any]:
        data = super().values()
        for name in ("cpts", "proposer_name", "proposer_email", "homepage"):
            data.pop(name, None)
        return data


class RadarForm(forms.Form):
    """One question per axis of the radar, on the scale of data/radar.json."""

    note = _text("Précision sur le radar", rows=2)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        definition = radar_data.definition()
        choices = [("", "Non évalué")] + [
            (str(level.value), f"{level.value} — {level.label}") for level in definition.scale
        ]
        for axis in definition.axes:
            self.fields[axis.code] = forms.CharField(
                label=f"{axis.label} : {axis.question}",
                required=False,
                help_text=axis.description,
                widget=forms.RadioSelect(choices=choices),
            )
        self.order_fields([axis.code for axis in definition.axes] + ["note"])

    def ratings(self) -> dict[str, Any]:
        return {
            axis.code: self.cleaned_data.get(axis.code) for axis in radar_data.definition().axes
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Type de document", choices=DocumentKind.choices)
    title = forms.CharField(label="Titre", max_length=200)
    file = forms.FileField(
        label="Fichier",
        help_text=f"PDF ou image PNG, {MAX_DOCUMENT_LABEL} au plus.",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            ("publish", "Publier"),
            ("changes", "Demander des modifications à la CPTS"),
            ("refuse", "Refuser"),
        ],
        widget=forms.RadioSelect,
    )
    comment = _text(
        "Commentaire",
        rows=3,
        help_text="Obligatoire pour demander des modifications ou refuser ; transmis à la CPTS.",
    )


class CompareForm(forms.Form):
    practices = forms.MultipleChoiceField(
        label="Actions à comparer (de 2 à 4)",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["practices"].choices = choices  # type: ignore[attr-defined]

    def clean_practices(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["practices"]
        if not 2 <= len(chosen) <= 4:
            raise forms.ValidationError("Choisissez de 2 à 4 actions à comparer.")
        return chosen
