"""The forms of the patient's data rights: rectification and anonymisation."""

from django import forms

from oncolien.pathways.models import Sex
from oncolien.privacy.models import AnonymisationReason
from oncolien.web.forms import DateInput

REQUEST_REASONS = [
    (value, label)
    for value, label in AnonymisationReason.choices
    if value != AnonymisationReason.RETENTION
]


class RectificationForm(forms.Form):
    """The identity as held, to correct; the reason is required. The commune is
    rectified by a new intake (it decides the CPTS)."""

    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", max_length=100)
    birth_date = forms.DateField(label="Date de naissance", widget=DateInput())
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices)
    address = forms.CharField(label="Adresse", max_length=250, required=False)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    ins = forms.CharField(
        label="INS / NIR (facultatif)",
        max_length=21,
        required=False,
        help_text="15 caractères, clé comprise.",
    )
    gp_name = forms.CharField(label="Médecin traitant", max_length=150, required=False)
    reason = forms.CharField(
        label="Motif de la rectification",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Par exemple : « nom mal orthographié, corrigé à la demande du patient ».",
    )

    IDENTITY = (
        "last_name",
        "first_name",
        "birth_date",
        "sex",
        "address",
        "phone",
        "ins",
        "gp_name",
    )

    def identity(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.IDENTITY}


class AnonymisationForm(forms.Form):
    reason = forms.ChoiceField(label="Motif", choices=[("", "—")] + REQUEST_REASONS)
    note = forms.CharField(
        label="Précision (sans nommer le patient)",
        max_length=300,
        required=False,
        help_text="Obligatoire pour « Autre motif ». Elle est conservée : n'y écrivez ni nom ni coordonnées.",
    )
    confirm = forms.BooleanField(
        label=(
            "Je confirme l'anonymisation : l'identité, les coordonnées et les textes libres "
            "seront effacés définitivement, dans toutes les parties d'OncoLien."
        ),
        error_messages={"required": "Cochez la confirmation pour anonymiser."},
    )
