"""Turning a posted questionnaire into answers, and the small forms around it."""

from contextlib import suppress
from itertools import count

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncolien.assessments.engine import enabled_ids
from oncolien.assessments.models import LinkChannel, Respondent
from oncolien.notifications.services import sms_available
from oncolien.web.forms import form_field


def answers_from_post(definition: dict, data) -> dict:
    """{item_id: raw value} for every item of the instrument: the page always posts the
    whole questionnaire, so an item absent from the post is an answer taken back."""
    answers = {}
    for item in definition["items"]:
        if item["type"] == "multiple_choice":
            answers[item["id"]] = data.getlist(item["id"])
        else:
            answers[item["id"]] = data.get(item["id"], "")
    return answers


def item_rows(definition: dict, answers: dict, errors: dict | None = None) -> list[dict]:
    """What the template needs to show each item: its definition, answer, error, and
    whether it is asked given the answers so far."""
    enabled = set(enabled_ids(definition, answers))
    rows = []
    # Only the questions asked are numbered, so the numbers run 1, 2, 3… as shown; the
    # page's script renumbers when a conditional question appears or goes.
    numbers = count(1)
    for item in definition["items"]:
        value = answers.get(item["id"])
        rows.append(
            {
                "item": item,
                "number": next(numbers) if item["id"] in enabled else None,
                "value": value,
                "chosen": value if isinstance(value, list) else [value],
                "error": (errors or {}).get(item["id"], ""),
                "enabled": item["id"] in enabled,
                "scale": range(11),
                "low": item.get("scale_labels", {}).get("0", ""),
                "high": item.get("scale_labels", {}).get("10", ""),
            }
        )
    return rows


class StartForm(forms.Form):
    instrument = forms.ChoiceField(label="Questionnaire")
    respondent = forms.ChoiceField(
        label="Rempli par",
        choices=Respondent.choices,
        initial=Respondent.PROFESSIONAL,
        help_text="Le professionnel pendant la visite, ou le patient ou un proche avec lui.",
    )
    visit = forms.TypedChoiceField(label="Visite", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, instruments, visits, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "instrument", forms.ChoiceField).choices = [
            (v.code, v.title) for v in instruments
        ]
        form_field(self, "visit", forms.TypedChoiceField).choices = [("", "Hors visite")] + [
            (v.pk, f"{v.get_kind_display()} du {timezone.localtime(v.occurred_at):%d/%m/%Y}")
            for v in visits
        ]


class LinkForm(forms.Form):
    instrument = forms.ChoiceField(label="Questionnaire")
    respondent = forms.ChoiceField(
        label="Destinataire",
        choices=[(Respondent.PATIENT, "Le patient"), (Respondent.RELATIVE, "Un proche")],
    )
    channel = forms.ChoiceField(
        label="Transmission du lien", choices=LinkChannel.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(label="Adresse électronique", required=False)
    phone = forms.CharField(label="Téléphone portable", required=False, max_length=20)

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "instrument", forms.ChoiceField).choices = [
            (v.code, v.title) for v in instruments
        ]
        # SMS is offered only when a gateway can really send it.
        self.sms_available = sms_available()
        if not self.sms_available:
            form_field(self, "channel", forms.ChoiceField).choices = [
                choice for choice in LinkChannel.choices if choice[0] != LinkChannel.SMS
            ]
            del self.fields["phone"]


def shown_answers(definition: dict, raw: dict) -> dict:
    """The posted answers to show again after an error: cleaned where possible, so that
    what the person typed or ticked is kept on the page."""
    from oncolien.assessments.engine import clean_value

    shown = {}
    for item in definition["items"]:
        value = raw.get(item["id"])
        # A value the engine refuses is shown as typed, next to its error message.
        with suppress(ValueError):
            value = clean_value(item, value)
        if value not in (None, "", []):
            shown[item["id"]] = value
    return shown


def errors_of(error: ValidationError) -> tuple[dict[str, str], list[str]]:
    """({item_id: sentence}, [general sentences]) of a refused save or completion, so that
    a page shows each message as the sentence it is, never as a Python list."""
    if hasattr(error, "error_dict"):
        return {item_id: " ".join(messages) for item_id, messages in error.message_dict.items()}, []
    return {}, list(error.messages)
