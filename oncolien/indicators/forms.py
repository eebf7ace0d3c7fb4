from django import forms

from oncolien.web.forms import DateInput

from . import periods
from .dashboard import period_choices


class PeriodForm(forms.Form):
    """A period from the list, or two dates (which then win)."""

    periode = forms.ChoiceField(label="Période", required=False)
    du = forms.DateField(label="Du", required=False, widget=DateInput())
    au = forms.DateField(label="Au (inclus)", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["periode"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = period_choices()

    def clean(self):
        data = super().clean() or {}
        first, last = data.get("du"), data.get("au")
        if bool(first) != bool(last):
            raise forms.ValidationError(
                "Pour une période sur mesure, indiquez la date de début et la date de fin."
            )
        try:
            if first and last:
                data["period"] = periods.custom(first, last)
            elif data.get("periode"):
                data["period"] = periods.parse(data["periode"])
            else:
                data["period"] = None
        except periods.InvalidPeriod as error:
            raise forms.ValidationError(str(error)) from None
        return data
