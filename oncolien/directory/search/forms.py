"""The public search form: GET parameters in, a ServiceQuery out."""

from typing import Any

from django import forms
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from oncolien.directory.models import Label
from oncolien.pagination import MAX_PAGE, PAGE_RANGE
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


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False left out, True as a bare attribute."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class Select(forms.Select):
    """The same HTML as Django's select widget, written in Python.

    Django renders a select through one template per option: the search form's
    74 options were 72 % of the page's time. Same markup, escaped the same way.
    """

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        widget = context["widget"]
        parts = [f'<select name="{escape(widget["name"])}"', _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                value, label = (
                    conditional_escape(str(option["value"])),
                    conditional_escape(option["label"]),
                )
                parts.append(
                    f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value is escaped above


class CheckboxInput(forms.CheckboxInput):
    """Django's checkbox markup, written in Python (see Select)."""

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        widget = context["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        html = format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        return mark_safe(f"{html}{value}{_attrs(widget['attrs'])}>")  # noqa: S308 — escaped


def _care_type_choices() -> list[tuple[str, str | list[Choice]]]:
    """Blank, then the cares of the INCa basket, then the others, as two groups."""
    basket: list[Choice] = []
    others: list[Choice] = []
    rows = CareType.objects.filter(active=True).order_by("position", "code")
    for code, name, in_basket in rows.values_list("code", "name", "basket"):
        (basket if in_basket else others).append((code, name))
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
    care_type = forms.ChoiceField(label="Soin de support", required=False, widget=Select)
    profession = forms.ChoiceField(label="Profession", required=False, widget=Select)
    commune = forms.CharField(
        label="Commune ou code postal",
        required=False,
        max_length=120,
        help_text="Par exemple : Espalion, 12500 ou Castres (81).",
    )
    radius = forms.ChoiceField(
        label="Distance maximale",
        required=False,
        choices=RADIUS_CHOICES,
        initial=DEFAULT_RADIUS,
        widget=Select,
    )
    cpts = forms.ChoiceField(label="CPTS", required=False, widget=Select)
    label = forms.ChoiceField(label="Label", required=False, widget=Select)
    free = forms.BooleanField(label="Gratuit uniquement", required=False, widget=CheckboxInput)
    audience = forms.ChoiceField(
        label="Pour qui ?", required=False, choices=AUDIENCE_CHOICES, widget=Select
    )
    phase = forms.ChoiceField(
        label="Moment du parcours",
        required=False,
        choices=[("", "Tous les moments"), *Phase.choices],
        widget=Select,
    )
    # Set by the links offered when a commune name is ambiguous.
    insee = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    # Bounded: a larger number would reach the database as an offset too large for it.
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Le numéro de page doit être un nombre entier.",
            "min_value": "Le numéro de page commence à 1.",
            "max_value": PAGE_RANGE,
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
        ] + list(
            Profession.objects.filter(active=True).order_by("name").values_list("code", "name")
        )
        # Plain (value, name) rows: no model object per choice.
        form_field(self, "cpts", forms.ChoiceField).choices = [("", "Toutes les CPTS")] + list(
            Cpts.objects.order_by("name").values_list("slug", "name")
        )
        form_field(self, "label", forms.ChoiceField).choices = [("", "Tous")] + list(
            Label.objects.order_by("name").values_list("code", "name")
        )

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
