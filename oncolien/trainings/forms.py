from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.territories.models import Cpts
from oncolien.trainings.models import EventKind, TrainedProfessional
from oncolien.trainings.services import SessionValues
from oncolien.web.forms import DateInput, DateTimeInput, form_field


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class ProfessionalForm(forms.Form):
    user = _UserChoice(
        label="Compte OncoLien (facultatif)",
        queryset=User.objects.none(),
        required=False,
        empty_label="— sans compte : nom et prénom ci-dessous —",
    )
    last_name = forms.CharField(label="Nom", max_length=100, required=False)
    first_name = forms.CharField(label="Prénom", max_length=100, required=False)
    profession = forms.CharField(
        label="Profession", max_length=100, initial="Infirmier·ère libéral·e"
    )
    rpps = forms.CharField(label="RPPS (facultatif)", max_length=11, required=False)

    def __init__(self, *args: Any, cpts: Cpts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "user", _UserChoice)
        field.queryset = User.objects.filter(memberships__cpts=cpts, is_active=True).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") is None and not (
            (data.get("last_name") or "").strip() and (data.get("first_name") or "").strip()
        ):
            raise forms.ValidationError("Choisissez un compte, ou donnez le nom et le prénom.")
        return data


class TrainingForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    organiser = forms.CharField(label="Organisme de formation", max_length=200)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    remote = forms.BooleanField(label="En distanciel (tout ou partie)", required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    participants = forms.ModelMultipleChoiceField(
        label="Participant·es",
        queryset=TrainedProfessional.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cpts: Cpts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "participants", forms.ModelMultipleChoiceField)
        field.queryset = TrainedProfessional.objects.filter(cpts=cpts)


class SessionForm(forms.Form):
    day = forms.DateField(label="Date", widget=DateInput())
    start = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}))
    hours = forms.DecimalField(
        label="Durée effective (h, si pause)",
        required=False,
        max_digits=4,
        decimal_places=2,
        min_value=0,
    )

    def values(self) -> SessionValues:
        data = self.cleaned_data
        zone = timezone.get_default_timezone()
        return SessionValues(
            starts_at=timezone.make_aware(datetime.combine(data["day"], data["start"]), zone),
            ends_at=timezone.make_aware(datetime.combine(data["day"], data["end"]), zone),
            hours=data.get("hours"),
        )


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=20, validate_max=True)


class EventForm(forms.Form):
    calendar = forms.ChoiceField(label="Agenda")
    kind = forms.ChoiceField(label="Type", choices=EventKind.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    organiser = forms.CharField(label="Organisateur", max_length=200)
    starts_at = forms.DateTimeField(label="Début (heure de Paris)", widget=DateTimeInput())
    ends_at = forms.DateTimeField(label="Fin (heure de Paris)", widget=DateTimeInput())
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    remote = forms.BooleanField(label="En distanciel", required=False)
    url = forms.URLField(
        label="Lien (inscription, visioconférence)", required=False, assume_scheme="https"
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    is_public = forms.BooleanField(
        label="Public (l'organisateur le rend public)",
        required=False,
        help_text="Sinon, seul·es les professionnel·les connecté·es de la CPTS ou de la région "
        "le voient.",
    )

    def __init__(self, *args: Any, calendars: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "calendar", forms.ChoiceField).choices = calendars

    def event_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in data if name != "calendar"}
