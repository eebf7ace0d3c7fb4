"""Who may see and change a pathway: the rules registered in the one authorisation module.

The coordinators of the pathway's CPTS, and the users on its care team (a
community nurse sees only the pathways she is on). Regional staff never see
nominative data. Intake is for coordinators and coordinating nurses of the CPTS.
"""

from django.db.models import Exists, OuterRef, Q

from oncolien.accounts.authorization import NOTHING, Rule, memberships_of, register_permission
from oncolien.accounts.models import Role, User

PATHWAY_READ = "pathway.read"
PATHWAY_WRITE = "pathway.write"
PATHWAY_CREATE = "pathway.create"
PATHWAY_INCLUDE_OUT_OF_TERRITORY = "pathway.include_out_of_territory"
CPTS_WORKLIST = "pathway.worklist"
INTAKE_CALL_RECORD = "pathway.intake_call.record"
INTAKE_CALL_READ = "pathway.intake_call.read"
PATHWAY_LIST = "pathway.list"
# The roles that follow patients within a CPTS, each on the pathways they may see
# (all those of the CPTS for its coordinators, those of their care teams for the
# others): they have a worklist and a patient list. Providers answer referrals
# without seeing the pathway; regional staff never see nominative data.
FOLLOWING_ROLES = frozenset(
    {Role.COORDINATOR, Role.COORDINATING_NURSE, Role.COMMUNITY_NURSE, Role.PHYSICIAN}
)
ALERT_ACKNOWLEDGE = "alert.acknowledge"
ALERT_PROTOCOL_EDIT = "alert_protocol.edit"


def on_care_team(user: User) -> Q:
    """The pathways whose care team the user is on (an active member)."""
    from oncolien.pathways.models import CareTeamMember

    return Q(pk__in=CareTeamMember.objects.filter(user=user, active=True).values("pathway_id"))


def may_acknowledge(user: User) -> Q:
    """The alerts `user` may acknowledge, as a filter on Alert: the roles each CPTS's
    alert protocol names (`pathways.protocol.ACKNOWLEDGING_ROLES`), read as data.

    The care teams the user is on stay in SQL (a subquery per team role): a nurse on
    10,000 care teams costs one small query (the CPTS of those teams), not 10,000 rows
    read into Python and sent back as 10,000 parameters."""
    from oncolien.pathways.models import CareTeamMember, CareTeamRole
    from oncolien.pathways.protocol import acknowledging_roles_for

    scope = NOTHING
    coordinated = {
        m.cpts_id for m in memberships_of(user) if m.role == Role.COORDINATOR and m.cpts_id
    }
    team = CareTeamMember.objects.filter(
        user=user,
        active=True,
        role__in=[CareTeamRole.COORDINATING_NURSE, CareTeamRole.GP],
    )
    team_cpts = set(team.order_by().values_list("role", "pathway__cpts_id").distinct())
    roles = acknowledging_roles_for(coordinated | {cpts_id for _, cpts_id in team_cpts})
    cpts_ids = sorted(c for c in coordinated if "cpts_coordinator" in roles[c])
    if cpts_ids:
        scope |= Q(pathway__cpts_id__in=cpts_ids)
    option = {
        CareTeamRole.COORDINATING_NURSE: "team_coordinating_nurse",
        CareTeamRole.GP: "team_gp",
    }
    for role, name in option.items():
        # The CPTS whose protocol lets this team role acknowledge, among the user's teams.
        allowed = sorted({c for r, c in team_cpts if r == role and name in roles[c]})
        if allowed:
            # EXISTS on the alert's own pathway, not `pathway_id IN (the user's teams)`:
            # SQLite read that as 100 alerts × 10,000 teams index probes (240 ms for the
            # worklist's 100 alerts); this is one probe of the alert's care team each.
            scope |= Q(
                Exists(
                    team.filter(
                        role=role, pathway__cpts_id__in=allowed, pathway_id=OuterRef("pathway_id")
                    )
                )
            )
    return scope


def register() -> None:
    coordinators = frozenset({Role.COORDINATOR})
    for name, description in (
        (PATHWAY_READ, "Voir un parcours patient"),
        (PATHWAY_WRITE, "Modifier un parcours patient"),
    ):
        register_permission(
            name,
            Rule(
                cpts_roles=coordinators,
                grant=on_care_team,
                model="pathways.pathway",
                patient_data=True,
                description=description,
            ),
        )
    register_permission(
        PATHWAY_CREATE,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR, Role.COORDINATING_NURSE}),
            cpts_path="pk",
            model="territories.cpts",
            patient_data=True,
            description="Prendre un appel d'inclusion et créer un parcours",
        ),
    )
    register_permission(
        PATHWAY_INCLUDE_OUT_OF_TERRITORY,
        Rule(
            cpts_roles=coordinators,
            cpts_path="pk",
            model="territories.cpts",
            patient_data=True,
            description="Inclure un patient dont la commune est hors du territoire",
        ),
    )
    intake_staff = frozenset({Role.COORDINATOR, Role.COORDINATING_NURSE})
    # An intake call holds no identity (commune, channel, outcome): counting contacts
    # needs no second factor beyond what the account already has.
    register_permission(
        INTAKE_CALL_RECORD,
        Rule(
            cpts_roles=intake_staff,
            cpts_path="pk",
            model="territories.cpts",
            description="Enregistrer un appel d'inclusion (sans identité)",
        ),
    )
    register_permission(
        INTAKE_CALL_READ,
        Rule(
            cpts_roles=intake_staff,
            model="pathways.intakecall",
            description="Voir et compter les appels d'inclusion de sa CPTS",
        ),
    )
    register_permission(
        ALERT_ACKNOWLEDGE,
        Rule(
            grant=may_acknowledge,
            cpts_path="pathway__cpts",
            model="pathways.alert",
            patient_data=True,
            description="Prendre en compte une alerte (rôles du protocole d'alerte de la CPTS)",
        ),
    )
    register_permission(
        ALERT_PROTOCOL_EDIT,
        Rule(
            cpts_roles=coordinators,
            cpts_path="pk",
            model="territories.cpts",
            description="Modifier le protocole d'alerte de la CPTS",
        ),
    )
    register_permission(
        CPTS_WORKLIST,
        Rule(
            cpts_roles=FOLLOWING_ROLES,
            patient_data=True,
            description="Voir sa liste de travail (limitée aux parcours visibles)",
        ),
    )
    register_permission(
        PATHWAY_LIST,
        Rule(
            cpts_roles=FOLLOWING_ROLES,
            patient_data=True,
            description="Voir la liste de ses patients (limitée aux parcours visibles)",
        ),
    )
