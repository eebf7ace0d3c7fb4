from django import forms

from oncolien.booklets.models import LinkChannel, PageFormat


class PrintForm(forms.Form):
    page_format = forms.ChoiceField(
        label="Format", choices=PageFormat.choices, initial=PageFormat.A4, widget=forms.RadioSelect
    )


class LinkForm(forms.Form):
    channel = forms.ChoiceField(
        label="Transmettre le lien au patient par",
        choices=LinkChannel.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label="Téléphone portable (pour un SMS)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label="Courriel", required=False)
