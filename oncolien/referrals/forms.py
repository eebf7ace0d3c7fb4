"""Forms of the referral pages: HTTP input to Python values. The rules (allowed
moves, reasons required, a recipient) are in `statuses.py` and `services.py`."""

from django import forms
from django.core.exceptions import ValidationError

from oncolien.referrals.services import Answer
from oncolien.referrals.statuses import ReferralStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def show_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ServiceReferralForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Message au professionnel",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Visible par le professionnel : n'y mettez que ce dont il a besoin.",
    )


class ExternalReferralForm(forms.Form):
    external_name = forms.CharField(label="Ressource (nom, structure)", max_length=200)
    external_contact = forms.CharField(
        label="Contact (téléphone, courriel)", max_length=250, required=False
    )
    note = forms.CharField(
        label="Précisions",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    to_status = forms.ChoiceField(label="Nouveau statut", choices=ReferralStatus.choices)
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour un refus, une orientation non honorée ou annulée.",
    )
    appointment_on = forms.DateField(
        label="Date du rendez-vous", required=False, widget=DateInput()
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(data["to_status"], data["reason"], data["appointment_on"])
