"""Forms of the programme pages; the domain checks stay in `services`."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from oncolien.aftercare.eligibility import PrescriberRole
from oncolien.aftercare.services import PrescribedActs, labelled_services
from oncolien.directory.models import Service
from oncolien.web.forms import DateInput, form_field


class PrescribeForm(forms.Form):
    prescriber_role = forms.ChoiceField(
        label="Médecin prescripteur", choices=PrescriberRole.choices
    )
    prescriber_name = forms.CharField(label="Nom du médecin", max_length=150)
    prescriber_rpps = forms.CharField(label="RPPS du médecin (facultatif)", required=False)
    prescribed_on = forms.DateField(label="Date de prescription", widget=DateInput())
    service = forms.ModelChoiceField(
        label="Structure labellisée",
        queryset=Service.objects.none(),
        empty_label="Choisissez une structure labellisée",
    )
    physical_activity_assessment = forms.BooleanField(
        label="Bilan fonctionnel et motivationnel d'activité physique", required=False
    )
    dietary_assessment = forms.BooleanField(label="Bilan diététique", required=False)
    psychological_assessment = forms.BooleanField(label="Bilan psychologique", required=False)
    dietary_follow_ups = forms.IntegerField(
        label="Consultations de suivi diététiques", min_value=0, max_value=6, initial=0
    )
    psychological_follow_ups = forms.IntegerField(
        label="Consultations de suivi psychologiques", min_value=0, max_value=6, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "service", forms.ModelChoiceField).queryset = labelled_services()

    def acts(self) -> PrescribedActs:
        data = self.cleaned_data
        return PrescribedActs(
            physical_activity_assessment=data["physical_activity_assessment"],
            dietary_assessment=data["dietary_assessment"],
            psychological_assessment=data["psychological_assessment"],
            dietary_follow_ups=data["dietary_follow_ups"],
            psychological_follow_ups=data["psychological_follow_ups"],
        )


class ActDoneForm(forms.Form):
    done_on = forms.DateField(label="Réalisé le", widget=DateInput())
    amount = forms.DecimalField(
        label="Montant (€)",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text="Laissez vide pour le tarif de l'acte.",
    )


class ReportForm(forms.Form):
    structure = forms.ModelChoiceField(
        label="Structure", queryset=Service.objects.none(), empty_label=None
    )
    du = forms.DateField(label="Prescriptions du", widget=DateInput())
    au = forms.DateField(label="au", widget=DateInput())

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "structure", forms.ModelChoiceField).queryset = services

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            raise forms.ValidationError("La fin de la période précède son début.")
        return data
