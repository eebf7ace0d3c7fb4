"""The work situation form; the domain checks stay in `services`."""

from django import forms

from oncolien.web.forms import DateInput
from oncolien.worklife.models import WorkStatus
from oncolien.worklife.services import WorkValues


class WorkSituationForm(forms.Form):
    status = forms.ChoiceField(
        label="Situation professionnelle", choices=[("", "—"), *WorkStatus.choices]
    )
    employer_sector = forms.CharField(
        label="Secteur de l'employeur (facultatif)", max_length=150, required=False
    )
    sick_leave_since = forms.DateField(
        label="En arrêt de travail depuis le", required=False, widget=DateInput()
    )
    occupational_physician_contacted_on = forms.DateField(
        label="Médecin du travail contacté le", required=False, widget=DateInput()
    )
    occupational_visit_on = forms.DateField(
        label="Visite avec le médecin du travail le", required=False, widget=DateInput()
    )
    pre_return_visit_on = forms.DateField(
        label="Visite de pré-reprise le", required=False, widget=DateInput()
    )
    part_time_from = forms.DateField(
        label="Mi-temps thérapeutique du", required=False, widget=DateInput()
    )
    part_time_to = forms.DateField(
        label="Mi-temps thérapeutique au", required=False, widget=DateInput()
    )
    workstation_adjustment = forms.CharField(
        label="Aménagement de poste", max_length=300, required=False
    )
    notes = forms.CharField(
        label="Notes (non reprises dans le livret du patient)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def values(self) -> WorkValues:
        # An empty date field cleans to None, an empty text field to "": as WorkValues wants.
        return WorkValues(**{name: self.cleaned_data[name] for name in self.fields})
