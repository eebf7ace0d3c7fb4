"""Forms of the distribution page: one contact, or a table of contacts."""

from typing import Any

from django import forms

from oncolien.surveys.models import CptsRegisterEntry, RespondentGroup

MAX_UPLOAD_BYTES = 1024 * 1024


class ContactForm(forms.Form):
    entry = forms.ModelChoiceField(
        label="CPTS",
        queryset=CptsRegisterEntry.objects.none(),
        empty_label="Choisissez la CPTS",
    )
    contact_name = forms.CharField(label="Nom du contact", max_length=200, required=False)
    email = forms.EmailField(label="Adresse électronique")
    group = forms.ChoiceField(
        label="Groupe du répondant",
        choices=[("", "Le répondant le dira")] + list(RespondentGroup.choices),
        required=False,
    )

    def __init__(self, *args: Any, register_id: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        entry = self.fields["entry"]
        assert isinstance(entry, forms.ModelChoiceField)
        entry.queryset = CptsRegisterEntry.objects.filter(register_id=register_id).order_by("name")


class ContactsTableForm(forms.Form):
    pasted = forms.CharField(
        label="Coller un tableau (colonnes cpts ; nom ; courriel ; groupe)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=200_000,
    )
    file = forms.FileField(label="ou choisir un fichier CSV ou XLSX", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 1 Mo.")
        if not data.get("pasted", "").strip() and upload is None:
            raise forms.ValidationError("Collez un tableau ou choisissez un fichier.")
        return data

    def table(self) -> tuple[bytes, str]:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(), upload.name
        return self.cleaned_data["pasted"].encode("utf-8"), "contacts-colles.csv"
