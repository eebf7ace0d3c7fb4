"""Who sees a CPTS's indicators: the permission "indicators.view", on the CPTS.

Its coordination team (coordinators and coordinating nurses) sees its own CPTS's
figures exactly, small counts included: they already follow these patients.
Regional staff see every CPTS's counts, protected ("indicators.regional",
regional.py), never a CPTS's exact figures.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

INDICATORS_VIEW = "indicators.view"
# Every CPTS's counts, protected (regional.py): no patient data is shown there.
INDICATORS_REGIONAL = "indicators.regional"


def register() -> None:
    register_permission(
        INDICATORS_VIEW,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR, Role.COORDINATING_NURSE}),
            global_roles=frozenset({Role.ADMINISTRATOR}),
            cpts_path="pk",
            model="territories.cpts",
            patient_data=True,
            description="Voir les indicateurs d'activité d'une CPTS",
        ),
    )
    register_permission(
        INDICATORS_REGIONAL,
        Rule(
            global_roles=frozenset({Role.REGIONAL, Role.ADMINISTRATOR}),
            description="Voir l'activité de toutes les CPTS, en effectifs protégés",
        ),
    )
