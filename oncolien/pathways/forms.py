"""Forms of the pathway pages.

They turn HTTP input into Python values and check only what the form alone
knows (a commune typed as text, a date in the future). The domain rules (plausible
ranges, eligibility, allowed status changes…) live in `pathways.services` and
`pathways.monitoring`; their French messages are put back on the fields by
`show_errors`.
"""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncolien.pathways.models import (
    CancerSite,
    CareTeamRole,
    ClosingReason,
    Flush,
    IntakeChannel,
    LocalAspect,
    Phase,
    Sex,
    Transit,
    TreatmentKind,
    VenousAccess,
    VisitKind,
    Vomiting,
)
from oncolien.pathways.monitoring import RANGES
from oncolien.pathways.rendering import FAST_RENDERER
from oncolien.reference.models import CareType
from oncolien.territories.lookups import resolve_commune
from oncolien.web.forms import DateInput, DateTimeInput, form_field


def _not_in_future(value, message: str):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


BLANK = [("", "—")]


class OnePageForm(forms.Form):
    """A form shown with others on the pathway page: its own ids, so that each label
    points at its field (several forms have a « notes » or a « role » field)."""

    id_prefix = "id"
    # The same HTML as Django's form templates, written in Python (a third of the page).
    default_renderer = FAST_RENDERER

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


# --- Intake ------------------------------------------------------------------------


class _CptsChoice:
    """The CPTS field of the intake forms: hidden when the user has only one."""

    cpts_choices: list[tuple[str, str]]

    def _set_cpts(self: Any, cpts_choices: list[tuple[str, str]]) -> None:
        self.cpts_choices = cpts_choices
        form_field(self, "cpts", forms.ChoiceField).choices = cpts_choices
        if len(cpts_choices) == 1:
            self.fields["cpts"].initial = cpts_choices[0][0]
            self.fields["cpts"].widget = forms.HiddenInput()
            # The only CPTS possible: no need to post it.
            self.fields["cpts"].required = False

    def clean_cpts(self: Any):
        # The only CPTS when it is not posted.
        return self.cleaned_data.get("cpts") or self.cpts_choices[0][0]

    def _clean_commune(self: Any, cleaned: dict) -> None:
        if cleaned.get("commune"):
            try:
                cleaned["commune"] = resolve_commune(
                    cleaned["commune"], cleaned.get("postal_code", "")
                )
            except ValidationError as error:
                self.add_error("commune", error)


# An intake's origin, carried through the steps (`IntakeCall.source`): « campaign:12 ».
SOURCE_RE = re.compile(r"^[a-z_]{1,30}:[0-9A-Za-z_-]{1,29}$")


def clean_source(value: str) -> str:
    """The source code, or nothing: a code that is not one (a link edited by hand) is
    dropped, never stored."""
    value = (value or "").strip()
    return value if SOURCE_RE.match(value) else ""


class _Source(forms.Form):
    source = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def clean_source(self) -> str:
        return clean_source(self.cleaned_data.get("source", ""))


COMMUNE_HELP = "Nom, code postal ou code INSEE (ex. « Espalion », « 12500 » ou « 12096 »)."


class IntakeCheckForm(_CptsChoice, _Source):
    """The call's first question: where the patient lives, and how the call came."""

    cpts = forms.ChoiceField(label="CPTS")
    commune = forms.CharField(
        label="Commune de résidence du patient", max_length=150, help_text=COMMUNE_HELP
    )
    postal_code = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        help_text="Utile quand plusieurs communes portent le même nom.",
    )
    intake_channel = forms.ChoiceField(
        label="Canal d'entrée", choices=BLANK + IntakeChannel.choices
    )

    def __init__(self, *args, cpts_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self._set_cpts(cpts_choices)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self._clean_commune(self.cleaned_data)
        return self.cleaned_data


class IntakeCallForm(IntakeCheckForm):
    """A call that led to no inclusion: the same questions, and why."""

    reason = forms.CharField(
        label="Motif de non-inclusion",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : demande d'information seule, patient déjà suivi, refus.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].label = "Commune de résidence"


class IntakeForm(_CptsChoice, _Source):
    """The intake call: the patient, how they came, and the information given."""

    cpts = forms.ChoiceField(label="CPTS")
    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", max_length=100)
    birth_date = forms.DateField(label="Date de naissance", widget=DateInput())
    sex = forms.ChoiceField(label="Sexe", choices=BLANK + Sex.choices)
    commune = forms.CharField(
        label="Commune de résidence",
        max_length=150,
        help_text=COMMUNE_HELP,
    )
    postal_code = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        help_text="Utile quand plusieurs communes portent le même nom.",
    )
    address = forms.CharField(label="Adresse", max_length=250, required=False)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    gp_name = forms.CharField(label="Médecin traitant", max_length=150, required=False)
    gp_phone = forms.CharField(label="Téléphone du médecin traitant", max_length=20, required=False)
    gp_mssante_address = forms.EmailField(
        label="Messagerie sécurisée (MSSanté) du médecin traitant",
        required=False,
        help_text="Par exemple prenom.nom@medecin.mssante.fr : les comptes-rendus ne partent que par cette messagerie.",
    )
    ins = forms.CharField(
        label="INS / NIR (facultatif)",
        max_length=21,
        required=False,
        help_text="15 caractères, clé comprise.",
    )
    intake_channel = forms.ChoiceField(
        label="Canal d'entrée", choices=BLANK + IntakeChannel.choices
    )
    referrer = forms.CharField(
        label="Adressé par",
        max_length=200,
        required=False,
        help_text="Nom et fonction de la personne qui oriente le patient.",
    )
    first_contact_on = forms.DateField(label="Date du premier contact", widget=DateInput())
    informed = forms.BooleanField(
        label="Le patient a été informé du partage de ses données (sauf opposition de sa part)",
        required=False,
    )
    informed_on = forms.DateField(label="Date de l'information", required=False, widget=DateInput())
    objects_to_sharing = forms.BooleanField(
        label="Le patient s'oppose au partage de ses données", required=False
    )
    out_of_territory_reason = forms.CharField(
        label="Motif d'inclusion hors territoire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Réservé à la coordination : pourquoi la CPTS suit ce patient malgré tout.",
    )
    # The call recorded when the commune was found outside the territory.
    call = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(
        self,
        *args,
        cpts_choices: list[tuple[str, str]],
        may_include_out_of_territory: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._set_cpts(cpts_choices)
        if not may_include_out_of_territory:
            del self.fields["out_of_territory_reason"]
        self.fields["first_contact_on"].initial = timezone.localdate()

    def clean_birth_date(self):
        return _not_in_future(
            self.cleaned_data.get("birth_date"),
            "La date de naissance ne peut pas être dans le futur.",
        )

    def clean_first_contact_on(self):
        return _not_in_future(
            self.cleaned_data.get("first_contact_on"),
            "La date du premier contact ne peut pas être dans le futur.",
        )

    def clean_informed_on(self):
        return _not_in_future(
            self.cleaned_data.get("informed_on"),
            "La date d'information ne peut pas être dans le futur.",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self._clean_commune(cleaned)
        informed = cleaned.get("informed") or cleaned.get("objects_to_sharing")
        if informed and not cleaned.get("informed_on") and "informed_on" not in self.errors:
            # Information given today unless said otherwise: the nurse is on the phone.
            cleaned["informed_on"] = timezone.localdate()
        if not informed:
            cleaned["informed_on"] = None
        return cleaned

    def patient_values(self) -> dict:
        data = self.cleaned_data
        names = ("last_name", "first_name", "birth_date", "sex", "commune", "address", "phone")
        return {
            **{name: data[name] for name in names},
            "gp_name": data["gp_name"],
            "ins": data["ins"],
        }

    def gp_contact(self) -> dict[str, str]:
        """The GP's contact, for the care-team member created at intake."""
        data = self.cleaned_data
        return {"gp_phone": data["gp_phone"], "gp_mssante_address": data["gp_mssante_address"]}


# --- The pathway page's forms ----------------------------------------------------------


class StatusForm(OnePageForm):
    id_prefix = "statut"

    to_status = forms.ChoiceField(label="Nouveau statut")
    closing_reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=BLANK + ClosingReason.choices,
        required=False,
        help_text="Obligatoire pour clôturer le parcours.",
    )
    note = forms.CharField(label="Précisions", max_length=300, required=False)

    def __init__(self, *args, allowed: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "to_status", forms.ChoiceField).choices = BLANK + allowed


class PathwayDetailsForm(OnePageForm):
    """Cancer, dates, phase and the references to the care plans; see services.EDITABLE_FIELDS."""

    id_prefix = "dossier"

    referrer = forms.CharField(label="Adressé par", max_length=200, required=False)
    cancer_site = forms.ChoiceField(
        label="Localisation du cancer", choices=BLANK + CancerSite.choices, required=False
    )
    diagnosis_on = forms.DateField(label="Date du diagnostic", required=False, widget=DateInput())
    end_of_active_treatment_on = forms.DateField(
        label="Date de fin des traitements actifs", required=False, widget=DateInput()
    )
    phase_override = forms.ChoiceField(
        label="Phase choisie",
        choices=[("", "Déduite des dates")] + Phase.choices,
        required=False,
        help_text="Laissez « Déduite des dates » sauf si la phase réelle diffère.",
    )
    cancer_ald = forms.BooleanField(label="Cancer en ALD", required=False)
    reference_weight_kg = forms.DecimalField(
        label="Poids de référence (kg)",
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text="Sert à détecter une perte de poids de 5 % ou plus.",
    )
    pps_reference = forms.CharField(label="PPS (lien ou référence)", max_length=300, required=False)
    ppac_reference = forms.CharField(
        label="PPAC (lien ou référence)", max_length=300, required=False
    )
    dcc_reference = forms.CharField(label="DCC (lien ou référence)", max_length=300, required=False)
    # The version the editor loaded: the save is refused if another one came first.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "Ce formulaire est incomplet : rechargez la page du parcours.",
            "invalid": "Ce formulaire est incomplet : rechargez la page du parcours.",
            "min_value": "Ce formulaire est incomplet : rechargez la page du parcours.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each field also carries the value it had when the page was loaded, so that a
        # refused save can show « before → now » for what another editor changed.
        for name, field in self.fields.items():
            if name != "version":
                field.show_hidden_initial = True

    def loaded_value(self, name: str) -> Any:
        """The value field `name` had when the editor's page was loaded (None if unreadable)."""
        field = self.fields[name]
        raw = field.hidden_widget().value_from_datadict(
            self.data, self.files, self.add_initial_prefix(name)
        )
        if isinstance(field, forms.DecimalField) and isinstance(raw, str):
            raw = raw.replace(",", ".")
        try:
            return field.to_python(raw)
        except ValidationError:
            return None

    def shown(self, name: str, value: Any) -> str:
        """A value of field `name` as the page shows it: a choice's label, a French date."""
        field = self.fields[name]
        if value is None or value == "":
            return "(vide)"
        if isinstance(field, forms.BooleanField):
            return "oui" if value else "non"
        if isinstance(field, forms.ChoiceField):
            choices: Any = field.choices
            return str(dict(choices).get(value, value))
        if isinstance(field, forms.DateField):
            return value.strftime("%d/%m/%Y")
        return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)

    def conflict_rows(self, *, fields: list[str], pathway: Any) -> list[tuple[str, str, str]]:
        """(label, value when loaded, value now) for each field another editor changed."""
        return [
            (
                str(self.fields[name].label),
                self.shown(name, self.loaded_value(name)),
                self.shown(name, getattr(pathway, name)),
            )
            for name in fields
            if name in self.fields
        ]

    def clean_diagnosis_on(self):
        return _not_in_future(
            self.cleaned_data.get("diagnosis_on"),
            "La date du diagnostic ne peut pas être dans le futur.",
        )


class TreatmentForm(OnePageForm):
    id_prefix = "traitement"

    kind = forms.ChoiceField(label="Traitement", choices=BLANK + TreatmentKind.choices)
    started_on = forms.DateField(label="Début", required=False, widget=DateInput())
    ended_on = forms.DateField(label="Fin", required=False, widget=DateInput())
    notes = forms.CharField(label="Précisions", max_length=250, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "La fin du traitement précède son début.")
        return cleaned


class ConsentForm(OnePageForm):
    id_prefix = "information"

    informed_on = forms.DateField(label="Date de l'information", widget=DateInput())
    objects_to_sharing = forms.BooleanField(
        label="Le patient s'oppose au partage de ses données", required=False
    )
    notes = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CareTeamUserForm(OnePageForm):
    """A user of the pathway's CPTS joins the care team."""

    id_prefix = "membre"

    user = forms.ChoiceField(label="Membre de la CPTS")
    role = forms.ChoiceField(label="Rôle dans l'équipe", choices=BLANK + CareTeamRole.choices)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in users}
        form_field(self, "user", forms.ChoiceField).choices = BLANK + [
            (pk, str(user)) for pk, user in sorted(self.users.items(), key=lambda i: str(i[1]))
        ]

    def clean_user(self):
        return self.users[self.cleaned_data["user"]]


class CareTeamContactForm(OnePageForm):
    """An external contact (a GP or oncologist without an account) joins the care team."""

    id_prefix = "contact"

    name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle dans l'équipe", choices=BLANK + CareTeamRole.choices)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    mssante_address = forms.EmailField(
        label="Messagerie sécurisée (MSSanté)",
        required=False,
        help_text="Seule adresse à laquelle un compte-rendu peut être envoyé.",
    )


class AlertCommentForm(OnePageForm):
    id_prefix = "commentaire_alerte"

    text = forms.CharField(
        label="Ce que vous avez fait",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Écrivez ce que vous avez fait pour cette alerte."},
        help_text="Par exemple : appel à l'hôpital de jour à 10 h. L'alerte reste ouverte.",
    )


class AcknowledgeForm(OnePageForm):
    id_prefix = "prise_en_compte"

    comment = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Un commentaire est obligatoire pour prendre en compte l'alerte."
        },
        help_text="Ce que vous avez fait ou décidé (appel du patient, avis médical…).",
    )


# --- Visits and the monitoring sheet ------------------------------------------------


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=BLANK + VisitKind.choices)
    occurred_at = forms.DateTimeField(label="Date et heure", widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", required=False, min_value=1, max_value=600
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    needs_discussed = forms.ModelMultipleChoiceField(
        label="Besoins abordés",
        queryset=CareType.objects.filter(active=True).order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


def _measure(label: str, field: str) -> forms.CharField:
    """A measurement typed as text: `monitoring.clean_measurements` checks it against its
    plausible range and says what is wrong in French (a comma is accepted)."""
    spec = RANGES[field]
    unit = f" {spec.unit}" if spec.unit else ""
    low = format(spec.minimum.normalize(), "f")
    high = format(spec.maximum.normalize(), "f")
    kind = "nombre entier" if spec.integer else "nombre"
    return forms.CharField(
        label=label,
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric" if spec.integer else "decimal"}),
        help_text=f"Un {kind} entre {low} et {high}{unit}.",
    )


def _yes_no(label: str) -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=label,
        required=False,
        widget=forms.Select(
            choices=[("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]
        ),
    )


def _choice(label: str, choices, *, blank: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=(BLANK if blank else []) + choices, required=not blank
    )


class MonitoringForm(forms.Form):
    """The "fiche de surveillance et de suivi en oncologie", field for field."""

    default_renderer = FAST_RENDERER

    # The groups of the paper sheet, in its order; the template shows one fieldset each.
    GROUPS = (
        ("Passage", ("recorded_at", "visit")),
        (
            "Constantes",
            (
                "weight_kg",
                "systolic_bp",
                "diastolic_bp",
                "pulse_bpm",
                "pulse_regular",
                "saturation_pct",
                "temperature_c",
                "dyspnoea",
            ),
        ),
        ("Troubles digestifs", ("nausea", "vomiting", "transit")),
        ("Alimentation", ("enriched_food", "fractionated_meals")),
        (
            "Peau, muqueuses, phanères, état bucco-dentaire",
            ("mucositis", "dry_skin", "hand_foot_syndrome", "alopecia_nails"),
        ),
        ("Troubles neurologiques", ("tingling", "paresthesia")),
        ("Prise de traitement", ("missed_doses", "treatment_difficulties")),
        ("Douleur", ("pain_score", "pain_location")),
        ("Surveillance biologique", ("biology_on", "biology_anomalies")),
        (
            "Surveillance de la voie d'abord",
            ("venous_access", "venous_access_flush", "venous_access_aspect"),
        ),
        ("Observations", ("observations",)),
    )

    recorded_at = forms.DateTimeField(label="Date et heure du passage", widget=DateTimeInput())
    visit = forms.ChoiceField(label="Visite liée", required=False)
    weight_kg = _measure("Poids (kg)", "weight_kg")
    systolic_bp = _measure("Pression artérielle systolique (mmHg)", "systolic_bp")
    diastolic_bp = _measure("Pression artérielle diastolique (mmHg)", "diastolic_bp")
    pulse_bpm = _measure("Pouls (/min)", "pulse_bpm")
    pulse_regular = _yes_no("Rythme régulier")
    saturation_pct = _measure("Saturation (%)", "saturation_pct")
    temperature_c = _measure("Température (°C)", "temperature_c")
    dyspnoea = _yes_no("Dyspnée")
    nausea = _yes_no("Nausées")
    vomiting = _choice("Vomissements", Vomiting.choices, blank=False)
    transit = _choice("Transit", Transit.choices)
    enriched_food = _yes_no("Alimentation enrichie / CNO")
    fractionated_meals = _yes_no("Alimentation fractionnée")
    mucositis = _yes_no("Mucite")
    dry_skin = _yes_no("Sécheresse de la peau")
    hand_foot_syndrome = _yes_no("Syndrome main-pied")
    alopecia_nails = _yes_no("Alopécie / ongles")
    tingling = _yes_no("Fourmillements / polynévrite")
    paresthesia = _yes_no("Paresthésies")
    missed_doses = _yes_no("Oubli de prise")
    treatment_difficulties = forms.CharField(
        label="Difficultés avec le traitement", max_length=250, required=False
    )
    pain_score = _measure("Douleur (EVA 0 à 10)", "pain_score")
    pain_location = forms.CharField(
        label="Localisation de la douleur", max_length=150, required=False
    )
    biology_on = forms.DateField(
        label="Date du bilan biologique", required=False, widget=DateInput()
    )
    biology_anomalies = forms.CharField(
        label="Anomalies biologiques", max_length=250, required=False
    )
    venous_access = _choice("Voie d'abord", VenousAccess.choices, blank=False)
    venous_access_flush = _choice("Rinçage", Flush.choices)
    venous_access_aspect = _choice("Aspect local", LocalAspect.choices)
    observations = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.visits = {str(visit.pk): visit for visit in visits}
        form_field(self, "visit", forms.ChoiceField).choices = [("", "Aucune")] + [
            (
                pk,
                f"{visit.get_kind_display()} du {timezone.localtime(visit.occurred_at):%d/%m/%Y %H:%M}",
            )
            for pk, visit in self.visits.items()
        ]
        self.fields["recorded_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_recorded_at(self):
        value = self.cleaned_data.get("recorded_at")
        if value and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError("La fiche ne peut pas être datée dans le futur.")
        return value

    def clean_biology_on(self):
        return _not_in_future(
            self.cleaned_data.get("biology_on"),
            "La date du bilan ne peut pas être dans le futur.",
        )

    def clean_visit(self):
        return self.visits.get(self.cleaned_data.get("visit") or "")

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def values(self) -> dict:
        """The sheet's values for `services.monitoring_record_add`."""
        skip = {"recorded_at", "visit"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


# --- The CPTS's alert protocol --------------------------------------------------------


FEVER_BOUNDS_MESSAGE = "Le seuil de fièvre doit être compris entre 37,8 et 38,5 °C."
ESCALATION_BOUNDS_MESSAGE = (
    "Le délai d'escalade doit être compris entre 15 minutes et 7 jours (10 080 minutes)."
)


class AlertProtocolForm(forms.Form):
    """Fever threshold, escalation delay, who acknowledges, and one instruction per rule."""

    fever_threshold_c = forms.DecimalField(
        label="Seuil de fièvre (°C)",
        max_digits=3,
        decimal_places=1,
        localize=True,
        help_text="Entre 37,8 et 38,5 °C.",
        min_value=Decimal("37.8"),
        max_value=Decimal("38.5"),
        error_messages={
            "invalid": "Un nombre est attendu, par exemple 38,0.",
            "min_value": FEVER_BOUNDS_MESSAGE,
            "max_value": FEVER_BOUNDS_MESSAGE,
        },
    )
    escalation_after_minutes = forms.IntegerField(
        label="Escalade aux coordinateur·rices après (minutes)",
        help_text="Une alerte non prise en compte dans ce délai est transmise aux coordinateur·rices.",
        min_value=15,
        max_value=7 * 24 * 60,
        error_messages={
            "invalid": "Un nombre entier de minutes est attendu.",
            "min_value": ESCALATION_BOUNDS_MESSAGE,
            "max_value": ESCALATION_BOUNDS_MESSAGE,
        },
    )
    acknowledging_roles = forms.MultipleChoiceField(
        label="Qui prend en compte les alertes",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un rôle."},
    )

    def __init__(self, *args, labels: dict[str, str], defaults: dict, roles: dict, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "acknowledging_roles", forms.MultipleChoiceField).choices = list(
            roles.items()
        )
        self.rule_codes = list(labels)
        for code, label in labels.items():
            default = defaults.get(code)
            self.fields[f"instruction_{code}"] = forms.CharField(
                label=f"Consigne : {label}",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=(
                    "Laissez vide pour la consigne par défaut. Source par défaut : "
                    + " ; ".join(default.sources)
                    if default
                    else ""
                ),
            )

    def instructions(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"instruction_{code}", "") for code in self.rule_codes}
