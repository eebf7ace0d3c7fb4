"""Forms of the hormone-therapy follow-up; the domain checks stay in `services`
(they give the French messages of bad input whatever sends it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from oncolien.adherence.models import ContactMode, MissedDoses, StopDecidedBy
from oncolien.adherence.services import ContactValues, PlanValues, nurses_of
from oncolien.adherence.vocabulary import vocabulary
from oncolien.pathways.models import Pathway
from oncolien.web.forms import DateInput, DateTimeInput, form_field

if TYPE_CHECKING:
    from oncolien.adherence.selectors import PlanSummary

BLANK = [("", "—")]
YES_NO = [("no", "Non"), ("yes", "Oui")]


class PlanForm(forms.Form):
    drug = forms.ChoiceField(label="Hormonothérapie")
    started_on = forms.DateField(label="Début du traitement", widget=DateInput())
    duration_years = forms.IntegerField(
        label="Durée prévue (années)", min_value=1, max_value=10, initial=5
    )
    contact_mode = forms.ChoiceField(
        label="Mode de contact", choices=ContactMode.choices, widget=forms.RadioSelect
    )
    first_year_interval_months = forms.IntegerField(
        label="La première année, un contact tous les (mois)",
        min_value=1,
        max_value=12,
        required=False,
        help_text="Laissez vide pour garder le même intervalle dès la première année.",
    )
    interval_months = forms.IntegerField(
        label="Ensuite, un contact tous les (mois)", min_value=1, max_value=12
    )
    nurse = forms.ChoiceField(label="Infirmier·ère responsable")

    def __init__(self, *args: Any, pathway: Pathway, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = vocabulary()
        form_field(self, "drug", forms.ChoiceField).choices = BLANK + [
            (drug.code, f"{drug.label} ({drug.group})" if drug.group else drug.label)
            for drug in terms.drugs
        ]
        self.nurses = {str(user.pk): user for user in nurses_of(pathway)}
        form_field(self, "nurse", forms.ChoiceField).choices = BLANK + [
            (pk, user.get_full_name() or user.get_username()) for pk, user in self.nurses.items()
        ]
        self.fields["nurse"].help_text = (
            "Un·e infirmier·ère de l'équipe de soins qui a un compte ; c'est lui ou elle qui "
            "reçoit les rappels des contacts à venir."
        )

    def values(self) -> PlanValues:
        data = self.cleaned_data
        return PlanValues(
            drug=data["drug"],
            started_on=data["started_on"],
            duration_years=data["duration_years"],
            contact_mode=data["contact_mode"],
            interval_months=data["interval_months"],
            first_year_interval_months=data.get("first_year_interval_months"),
            nurse=self.nurses.get(data["nurse"]),
        )


class ContactForm(forms.Form):
    """One contact; its ids are its own (the form is also on the pathway page)."""

    planned = forms.ChoiceField(label="Contact prévu", required=False)
    done_at = forms.DateTimeField(label="Date et heure du contact", widget=DateTimeInput())
    mode = forms.ChoiceField(label="Mode", choices=ContactMode.choices, widget=forms.RadioSelect)
    stopped = forms.ChoiceField(
        label="Le traitement est-il arrêté ?", choices=YES_NO, widget=forms.RadioSelect
    )
    missed_doses = forms.ChoiceField(
        label="Oublis de prise",
        choices=MissedDoses.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    stopped_since = forms.DateField(
        label="Si arrêté : depuis le", required=False, widget=DateInput()
    )
    stop_decided_by = forms.ChoiceField(
        label="Si arrêté : décidé par", choices=BLANK + StopDecidedBy.choices, required=False
    )
    intends_to_stop = forms.BooleanField(
        label="Le patient ou la patiente envisage d'arrêter le traitement", required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, summary: PlanSummary, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "observance_%s")
        super().__init__(*args, **kwargs)
        pending = summary.overdue + summary.upcoming[:2]
        form_field(self, "planned", forms.ChoiceField).choices = [
            *(
                (str(c.pk), f"Prévu le {c.planned_on:%d/%m/%Y}")
                for c in pending
                if c.planned_on is not None
            ),
            ("", "Contact non prévu (à l'initiative du patient ou de l'équipe)"),
        ]
        if not self.is_bound:
            self.initial.setdefault("planned", str(pending[0].pk) if pending else "")
            self.initial.setdefault(
                "done_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("mode", summary.plan.contact_mode)
        terms = vocabulary()
        severities = [("", "Absent"), *((s.code, s.label) for s in terms.severities)]
        self.side_effect_fields: list[str] = []
        for effect in terms.side_effects:
            name = f"effet_{effect.code}"
            self.fields[name] = forms.ChoiceField(
                label=effect.label, choices=severities, required=False
            )
            self.side_effect_fields.append(name)

    def main_fields(self) -> list[forms.BoundField]:
        others = {*self.side_effect_fields, "notes"}
        return [self[name] for name in self.fields if name not in others]

    def effect_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.side_effect_fields]

    def values(self) -> ContactValues:
        data = self.cleaned_data
        planned = data.get("planned") or ""
        return ContactValues(
            planned_contact_id=int(planned) if planned.isdigit() else None,
            done_at=data["done_at"],
            mode=data["mode"],
            missed_doses=data.get("missed_doses") or "",
            stopped=data["stopped"] == "yes",
            stopped_since=data.get("stopped_since"),
            stop_decided_by=data.get("stop_decided_by") or "",
            intends_to_stop=bool(data.get("intends_to_stop")),
            side_effects={
                name.removeprefix("effet_"): data[name]
                for name in self.side_effect_fields
                if data.get(name)
            },
            notes=data.get("notes") or "",
        )
