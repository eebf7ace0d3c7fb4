"""Who may set a pathway's hormone-therapy follow-up plan: the permission
"adherence.plan.edit", registered in the one authorisation module.

Choice (documented here): the plan — which drug, how often, which nurse — is set by
the coordinators of the pathway's CPTS and, on its care team, by the coordinating
nurse and the physicians (GP, oncologist). Recording a contact is part of following
the patient: whoever may write the pathway (`pathway.write`, the whole care team,
community nurse and pharmacist included) may record one. Reading is `pathway.read`.
"""

from django.db.models import Q

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role, User

ADHERENCE_PLAN_EDIT = "adherence.plan.edit"

PLANNING_TEAM_ROLES = ("coordinating_nurse", "gp", "oncologist")


def plans_the_follow_up(user: User) -> Q:
    """The pathways on whose care team the user is an active coordinating nurse or physician."""
    from oncolien.pathways.models import CareTeamMember

    return Q(
        pk__in=CareTeamMember.objects.filter(
            user=user, active=True, role__in=PLANNING_TEAM_ROLES
        ).values("pathway_id")
    )


def register() -> None:
    register_permission(
        ADHERENCE_PLAN_EDIT,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            grant=plans_the_follow_up,
            model="pathways.pathway",
            patient_data=True,
            description="Créer ou modifier le plan de suivi de l'hormonothérapie d'un parcours",
        ),
    )
