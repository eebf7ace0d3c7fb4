"""The public search form: GET parameters in, a ServiceQuery out."""

from typing import Any

from django import forms

from oncolien.directory.models import Label
from oncolien.reference.models import CareType, Phase, Profession
from oncolien.territories.models import Cpts
from oncolien.web.forms import form_field

from .places import Place, place_by_insee, resolve_place
from .query import DEFAULT_PAGE_SIZE, ServiceQuery

RADIUS_CHOICES = [("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]
DEFAULT_RADIUS = "20"
AUDIENCE_CHOICES = [
    ("", "Tout public"),
    ("patients", "Personnes malades"),
    ("relatives", "Proches et aidants"),
]


Choice = tuple[str, str]


def _care_type_choices() -> list[tuple[str, str | list[Choice]]]:
    """Blank, then the cares of the INCa basket, then the others, as two groups."""
    basket: list[Choice] = []
    others: list[Choice] = []
    for care_type in CareType.objects.filter(active=True).order_by("position", "code"):
        (basket if care_type.basket else others).append((care_type.code, care_type.name))
    choices: list[tuple[str, str | list[Choice]]] = [("", "Tous les soins de support")]
    if basket:
        choices.append(("Panier de soins de support (INCa)", basket))
    if others:
        choices.append(("Autres soins complémentaires", others))
    return choices


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label="Mots-clés",
        required=False,
        max_length=200,
        help_text="Par exemple : diététicienne, sophrologie, groupe de parole.",
    )
    care_type = forms.ChoiceField(label="Soin de support", required=False)
    profession = forms.ChoiceField(label="Profession", required=False)
    commune = forms.CharField(
        label="Commune ou code postal",
        required=False,
        max_length=120,
        help_text="Par exemple : Espalion, 12500 ou Castres (81).",
    )
    radius = forms.ChoiceField(
        label="Distance maximale", required=False, choices=RADIUS_CHOICES, initial=DEFAULT_RADIUS
    )
    cpts = forms.ChoiceField(label="CPTS", required=False)
    label = forms.ChoiceField(label="Label", required=False)
    free = forms.BooleanField(label="Gratuit uniquement", required=False)
    audience = forms.ChoiceField(label="Pour qui ?", required=False, choices=AUDIENCE_CHOICES)
    phase = forms.ChoiceField(
        label="Moment du parcours",
        required=False,
        choices=[("", "Tous les moments"), *Phase.choices],
    )
    # Set by the links offered when a commune name is ambiguous.
    insee = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Le numéro de page doit être un nombre entier.",
            "min_value": "Le numéro de page commence à 1.",
        },
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("radius"):
            # The distance the search uses when none is chosen, shown as chosen.
            data = data.copy()
            data["radius"] = DEFAULT_RADIUS
        super().__init__(data, **kwargs)
        self.place = Place()
        form_field(self, "care_type", forms.ChoiceField).choices = _care_type_choices()
        form_field(self, "profession", forms.ChoiceField).choices = [
            ("", "Toutes les professions")
        ] + [(p.code, p.name) for p in Profession.objects.filter(active=True).order_by("name")]
        form_field(self, "cpts", forms.ChoiceField).choices = [("", "Toutes les CPTS")] + [
            (c.slug, c.name) for c in Cpts.objects.order_by("name")
        ]
        form_field(self, "label", forms.ChoiceField).choices = [("", "Tous")] + [
            (label.code, label.name) for label in Label.objects.order_by("name")
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        insee = (data.get("insee") or "").strip()
        typed = (data.get("commune") or "").strip()
        self.place = place_by_insee(insee) if insee else resolve_place(typed)
        if self.place.error:
            self.add_error("commune", self.place.error)
        return data

    def to_query(self) -> ServiceQuery:
        data = self.cleaned_data
        commune = self.place.commune
        return ServiceQuery(
            words=data.get("q") or "",
            care_types=[data["care_type"]] if data.get("care_type") else [],
            professions=[data["profession"]] if data.get("profession") else [],
            cpts=data.get("cpts") or "",
            commune=commune.insee_code if commune else "",
            radius_km=float(data.get("radius") or DEFAULT_RADIUS) if commune else None,
            label=data.get("label") or "",
            free_only=bool(data.get("free")),
            audience=data.get("audience") or "",
            phase=data.get("phase") or "",
            page=data.get("page") or 1,
            page_size=DEFAULT_PAGE_SIZE,
        )
