"""Who sees a CPTS's indicators: the permission "indicators.view", on the CPTS.

Its coordination team (coordinators and coordinating nurses) sees its own CPTS's
figures exactly, small counts included: they already follow these patients.
Regional staff will see aggregates only, with small counts protected (a view of
its own, not this permission).
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

INDICATORS_VIEW = "indicators.view"


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
