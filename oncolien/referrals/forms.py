"""Forms of the referral pages: HTTP input to Python values. The rules (allowed
moves, reasons required, a recipient) are in `statuses.py` and `services.py`."""

from django import forms

from oncolien.referrals.services import Answer
from oncolien.referrals.statuses import ReferralStatus
from oncolien.web.forms import DateInput


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

    appointment_time = forms.TimeField(
        label="Heure du rendez-vous",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            data["to_status"], data["reason"], data["appointment_on"], data["appointment_time"]
        )
