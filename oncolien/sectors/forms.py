from typing import Any

from django import forms

from oncolien.accounts.models import User
from oncolien.sectors import selectors
from oncolien.sectors.models import Sector, SectorCommune
from oncolien.territories.models import Commune, Cpts
from oncolien.web.forms import form_field


class _NurseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class _CommuneChoices(forms.ModelMultipleChoiceField):
    """Each commune named with the other sector it is in, if any."""

    elsewhere: dict[int, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        other = self.elsewhere.get(obj.pk)
        return f"{obj.name} (secteur « {other} »)" if other else str(obj.name)


class SectorForm(forms.Form):
    name = forms.CharField(label="Nom du secteur", max_length=100)
    communes = _CommuneChoices(
        label="Communes du secteur",
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Une commune n'appartient qu'à un secteur de la CPTS.",
    )
    nurses = _NurseChoices(
        label="Infirmier·ères de coordination du secteur",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cpts: Cpts, sector: Sector | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        elsewhere = dict(
            SectorCommune.objects.filter(cpts=cpts)
            .exclude(sector=sector)
            .values_list("commune_id", "sector__name")
        )
        communes = form_field(self, "communes", _CommuneChoices)
        communes.queryset = cpts.communes.order_by("name")
        communes.elsewhere = elsewhere
        form_field(self, "nurses", _NurseChoices).queryset = selectors.coordinating_nurses(cpts)
