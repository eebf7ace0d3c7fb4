from typing import Any

from django import forms

from oncolien.apitokens.models import Scope
from oncolien.apitokens.services import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from oncolien.territories.models import Cpts


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître : le logiciel ou le script qui l'utilisera.",
        error_messages={"required": "Donnez un nom au jeton."},
    )
    scope = forms.ChoiceField(
        label="Droits",
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez les droits du jeton."},
    )
    cpts = forms.ModelChoiceField(
        label="CPTS",
        queryset=Cpts.objects.none(),
        empty_label=None,
        help_text="Le jeton ne donne accès qu'aux données de cette CPTS.",
        error_messages={
            "invalid_choice": "Choisissez une CPTS dont vous êtes membre.",
            "required": "Choisissez une CPTS.",
        },
    )
    lifetime_days = forms.IntegerField(
        label="Durée de validité (jours)",
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
        help_text=f"De 1 à {MAX_LIFETIME_DAYS} jours.",
        error_messages={
            "required": "Indiquez une durée de validité.",
            "invalid": "Indiquez un nombre de jours.",
            "min_value": f"La durée de validité doit être comprise entre 1 et {MAX_LIFETIME_DAYS} jours.",
            "max_value": f"La durée de validité doit être comprise entre 1 et {MAX_LIFETIME_DAYS} jours.",
        },
    )

    def __init__(self, *args: Any, cpts_choices: list[Cpts], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cpts"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cpts.objects.filter(pk__in=[c.pk for c in cpts_choices]).order_by("name")
