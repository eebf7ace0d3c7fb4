"""Forms of the curation pages, of the public contribution form and of moderation.

The forms turn HTTP input into clean Python values and check what only the form
knows (a commune typed as text, the honeypot, the fill time). The entry as a
whole is validated by the write services (directory.services,
directory.contributions), whose French messages `show_errors` puts back on the form.
"""

import time
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from oncolien.directory import identifiers
from oncolien.directory.models import (
    Access,
    Cost,
    Label,
    Location,
    Organization,
    OrganizationKind,
    Service,
)
from oncolien.reference.models import CareType, Profession
from oncolien.territories.lookups import (
    CommuneNotFound,
    commune_by_insee,
    commune_label,
    resolve_commune,
    resolve_communes,
)
from oncolien.territories.models import Commune
from oncolien.web.forms import form_field

# --- Reference data as checkboxes.


def _care_type_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=CareType.objects.filter(active=True).order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        label="Soins de support",
        error_messages={"required": "Cochez au moins un soin de support."},
        **kwargs,
    )


def _profession_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Profession.objects.filter(active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Professionnels qui interviennent",
        **kwargs,
    )


def _url_field(label: str) -> forms.URLField:
    # Django 6 will assume https for an address typed without a scheme; do so now.
    return forms.URLField(label=label, required=False, assume_scheme="https")


class ServiceLayerForm(forms.ModelForm):
    """A ModelForm for its labels, widgets and initial values only: the entry is
    validated and saved by the write services, never by `form.save()`."""

    def _post_clean(self):
        # The services validate the model (with French messages) and save it.
        pass


# --- Curation forms.


class OrganizationForm(ServiceLayerForm):
    website = _url_field("Site web")

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "description",
            "siret",
            "finess",
            "rpps",
            "email",
            "phone",
            "website",
            "is_fictitious",
        ]
        help_texts = {
            "siret": "14 chiffres (ou le SIREN, 9 chiffres). Facultatif.",
            "finess": "Pour un établissement : 9 caractères. Facultatif.",
            "rpps": "Pour un·e professionnel·le : 11 chiffres. Facultatif.",
            "is_fictitious": "À cocher pour les données de démonstration.",
        }


class LocationForm(ServiceLayerForm):
    commune = forms.CharField(
        label="Commune",
        max_length=120,
        help_text="Nom de la commune (avec le code postal s'il y a des homonymes) ou code INSEE.",
    )
    latitude = forms.FloatField(
        label="Latitude", required=False, min_value=-90, max_value=90, localize=True
    )
    longitude = forms.FloatField(
        label="Longitude", required=False, min_value=-180, max_value=180, localize=True
    )

    class Meta:
        model = Location
        fields = [
            "name",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "accessibility",
            "opening_hours",
            "phone",
            "email",
        ]
        help_texts = {"name": "Facultatif, par exemple « Espace Ligue » ou « Cabinet »."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        location = self.instance
        if location.pk:
            self.initial["commune"] = commune_label(location.commune)
            if not location.coordinates_given:
                self.initial["latitude"] = self.initial["longitude"] = None
        self.fields[
            "latitude"
        ].help_text = "Laisser vide pour placer le lieu au centre de la commune."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "commune" in data:
            try:
                data["commune"] = resolve_commune(data["commune"], data.get("postal_code", ""))
            except ValidationError as error:
                self.add_error("commune", error)
        return data


class _LocationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.address or obj.name or 'Lieu'} — {obj.commune.name}"


class ServiceForm(ServiceLayerForm):
    care_types = _care_type_field()
    professions = _profession_field()
    labels = forms.ModelMultipleChoiceField(
        queryset=Label.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Labels",
    )
    locations = _LocationsField(
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Lieux où l'offre est proposée",
    )
    communes_served = forms.CharField(
        label="Communes desservies (à domicile)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Noms ou codes INSEE, séparés par des virgules.",
    )
    url = _url_field("Page web")

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "care_types",
            "professions",
            "for_patients",
            "for_relatives",
            "phase_diagnosis",
            "phase_treatment",
            "phase_after_treatment",
            "access",
            "cost",
            "remaining_cost_amount",
            "cost_details",
            "labels",
            "is_home_service",
            "communes_served",
            "locations",
            "email",
            "phone",
            "url",
        ]
        widgets = {"access": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        locations = form_field(self, "locations", _LocationsField)
        locations.queryset = organization.locations.select_related("commune")
        if self.instance.pk:
            self.initial["communes_served"] = ", ".join(
                commune_label(commune) for commune in self.instance.communes_served.all()
            )

    def clean_communes_served(self) -> list[Commune]:
        return resolve_communes(self.cleaned_data.get("communes_served", ""))


# --- The proposal of an offer: public contribution and moderation.

BOOLEAN_LABELS = {
    "for_patients": "Pour les patients",
    "for_relatives": "Pour les proches et les aidants",
    "phase_diagnosis": "Au moment du diagnostic",
    "phase_treatment": "Pendant les traitements",
    "phase_after_treatment": "Après les traitements",
}


NEW_OFFER_DEFAULTS = {
    "for_patients": True,
    "phase_diagnosis": True,
    "phase_treatment": True,
    "phase_after_treatment": True,
    "access": Access.DIRECT,
}


class ProposalForm(forms.Form):
    """The values of an offer as a contributor (or a moderator) types them."""

    organization_name = forms.CharField(
        label="Nom de la structure",
        max_length=200,
        help_text="Association, cabinet, établissement, maison de santé…",
    )
    organization_kind = forms.ChoiceField(
        label="Type de structure",
        choices=[("", "— Choisir —"), *OrganizationKind.choices],
    )
    name = forms.CharField(
        label="Nom de l'offre",
        max_length=200,
        help_text="Par exemple : « Consultations de diététique », « Atelier de marche ».",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui est proposé, pour qui, comment s'y inscrire.",
    )
    care_types = _care_type_field(to_field_name="code")
    professions = _profession_field(to_field_name="code")
    for_patients = forms.BooleanField(label=BOOLEAN_LABELS["for_patients"], required=False)
    for_relatives = forms.BooleanField(label=BOOLEAN_LABELS["for_relatives"], required=False)
    phase_diagnosis = forms.BooleanField(label=BOOLEAN_LABELS["phase_diagnosis"], required=False)
    phase_treatment = forms.BooleanField(label=BOOLEAN_LABELS["phase_treatment"], required=False)
    phase_after_treatment = forms.BooleanField(
        label=BOOLEAN_LABELS["phase_after_treatment"], required=False
    )
    access = forms.ChoiceField(
        label="Comment y accéder", choices=Access.choices, widget=forms.RadioSelect
    )
    cost = forms.ChoiceField(label="Coût pour la personne", choices=Cost.choices)
    remaining_cost_amount = forms.DecimalField(
        label="Montant du reste à charge (€)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    cost_details = forms.CharField(label="Précisions sur le coût", required=False, max_length=250)
    address = forms.CharField(label="Adresse", required=False, max_length=250)
    postal_code = forms.CharField(label="Code postal", required=False, max_length=5)
    commune = forms.CharField(
        label="Commune",
        max_length=120,
        help_text="Nom de la commune, ou son code INSEE.",
    )
    is_home_service = forms.BooleanField(label="Se déplace à domicile", required=False)
    phone = forms.CharField(label="Téléphone", required=False, max_length=30)
    email = forms.EmailField(label="Courriel", required=False)
    url = _url_field("Page web")

    def __init__(self, *args, new: bool, include_place: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's defaults, for a new offer.
        for name, value in NEW_OFFER_DEFAULTS.items():
            self.fields[name].initial = value
        if not new:
            del self.fields["organization_name"], self.fields["organization_kind"]
        if not include_place:
            del self.fields["address"], self.fields["postal_code"], self.fields["commune"]

    @property
    def includes_place(self) -> bool:
        return "commune" in self.fields

    def clean_phone(self) -> str:
        check = identifiers.check_phone(self.cleaned_data.get("phone", ""))
        if check.error:
            raise ValidationError(check.error)
        return check.value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("for_patients") or data.get("for_relatives")):
            self.add_error(
                None, "Indiquez à qui s'adresse l'offre : patients, proches, ou les deux."
            )
        phases = ("phase_diagnosis", "phase_treatment", "phase_after_treatment")
        if not any(data.get(phase) for phase in phases):
            self.add_error(None, "Cochez au moins un moment du parcours où l'offre est utile.")
        if data.get("cost") == Cost.REMAINING_COST and data.get("remaining_cost_amount") is None:
            self.add_error("remaining_cost_amount", "Indiquez le montant du reste à charge.")
        if self.includes_place and data.get("commune"):
            try:
                data["commune"] = resolve_commune(data["commune"], data.get("postal_code", ""))
            except ValidationError as error:
                self.add_error("commune", error)
        return data

    def proposal(self) -> dict:
        """The cleaned values as a proposal (see directory.contributions)."""
        data = self.cleaned_data
        proposal = {}
        for name in self.fields:
            if name in PROPOSAL_EXTRA_FIELDS:
                continue
            # The fields' values are of as many types as there are kinds of field.
            value: Any = data.get(name)
            if name in ("care_types", "professions"):
                value = sorted(item.code for item in value or [])
            elif name == "commune":
                value = value.insee_code
            elif name == "remaining_cost_amount":
                value = (
                    None
                    if value is None or data.get("cost") != Cost.REMAINING_COST
                    else str(value.quantize(Decimal("0.01")))
                )
            proposal[name] = value
        return proposal


def proposal_initial(proposal: dict) -> dict:
    """A stored proposal as the initial values of a ProposalForm."""
    initial = dict(proposal)
    code = proposal.get("commune")
    if code:
        try:
            initial["commune"] = commune_label(commune_by_insee(code))
        except CommuneNotFound:
            initial["commune"] = code
    return initial


# Fields of the forms below that are not part of the proposal itself.
PROPOSAL_EXTRA_FIELDS = {
    "message",
    "contributor_name",
    "contributor_email",
    "homepage",
    "started",
    "organization",
    "note",
}

# A signed opening time: a form sent back sooner than this is a robot's.
_STARTED_SALT = "oncolien.directory.contribution-started"


def started_token(opened_at: float | None = None) -> str:
    """The signed opening time of a contribution form (now, unless given)."""
    return signing.dumps(time.time() if opened_at is None else opened_at, salt=_STARTED_SALT)


def minimum_fill_seconds() -> float:
    return float(settings.ONCOLIEN_CONTRIBUTION_MIN_SECONDS)


class ContributionForm(ProposalForm):
    """The public form: a proposal, a message, optional contact details and two
    quiet traps for robots (a honeypot and the time taken to fill the form)."""

    message = forms.CharField(
        label="Votre message",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facultatif : toute précision utile à la coordination de la CPTS.",
    )
    contributor_name = forms.CharField(
        label="Votre nom",
        required=False,
        max_length=150,
        help_text="Facultatif.",
    )
    contributor_email = forms.EmailField(
        label="Votre courriel",
        required=False,
        help_text=(
            "Facultatif. Il sert seulement à la coordination de la CPTS pour vous poser "
            "une question sur votre proposition ; il n'est jamais publié."
        ),
    )
    # The honeypot: hidden from people (and from screen readers) by the template,
    # filled in by robots that fill in every field.
    homepage = forms.CharField(
        label="Ne pas remplir",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["started"].initial = started_token()
        if current is not None:
            self.fields["message"].label = "Qu'est-ce qui doit être corrigé ?"
            self.fields[
                "message"
            ].help_text = "Facultatif si vous avez modifié les informations ci-dessus."

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("homepage", "").strip())

    def clean_started(self) -> str:
        token = self.cleaned_data.get("started", "")
        try:
            opened_at = float(signing.loads(token, salt=_STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self._renew_started()
            raise ValidationError(
                "Le formulaire n'a pas pu être vérifié : envoyez-le à nouveau."
            ) from None
        if time.time() - opened_at < minimum_fill_seconds():
            raise ValidationError(
                "Le formulaire a été envoyé très vite après son ouverture : "
                "relisez-le puis envoyez-le à nouveau."
            )
        return token

    def _renew_started(self) -> None:
        # The page shown again carries a valid opening time for the next try.
        # A view binds the form to a QueryDict, a test may bind it to a dict; both
        # copy to a mutable mapping.
        assert isinstance(self.data, (MultiValueDict, dict))
        data = self.data.copy()
        data["started"] = started_token()
        self.data = data

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "started" in self.errors:
            # Shown at the top: the field itself is hidden.
            self.add_error(None, self.errors.pop("started"))
        if self.current is not None and not self.errors:
            unchanged = all(self.current.get(k) == v for k, v in self.proposal().items())
            if unchanged and not data.get("message", "").strip():
                self.add_error(
                    "message",
                    "Indiquez ce qui doit être corrigé : modifiez une information "
                    "ou écrivez un message.",
                )
        return data


class AcceptForm(ProposalForm):
    """The moderator's version of a proposal, applied when accepted."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Rattacher à une structure existante",
        empty_label="— Non : créer la structure nommée ci-dessus (ou la retrouver par son nom) —",
    )
    note = forms.CharField(
        label="Note (facultative)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Conservée avec la décision.",
    )

    def __init__(self, *args, cpts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization_name" in self.fields and cpts is not None:
            organization = form_field(self, "organization", forms.ModelChoiceField)
            organization.queryset = cpts.organizations.order_by("name")
            # With an existing organisation chosen, its name and kind need not be typed.
            self.fields["organization_name"].required = False
            self.fields["organization_kind"].required = False
        else:
            del self.fields["organization"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "organization" in self.fields and not data.get("organization"):
            for name in ("organization_name", "organization_kind"):
                if not data.get(name):
                    self.add_error(name, "Ce champ est obligatoire.")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire. Conservé avec la contribution.",
        error_messages={
            "required": "Indiquez le motif du refus : il est conservé avec la contribution."
        },
    )
