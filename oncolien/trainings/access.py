"""Who may see and change the roster of trained professionals and the calendar.

- Roster: every professional of the CPTS sees it; its coordinators edit it.
- Calendar: a public event is for anyone (no permission). A private event of a
  CPTS is for the signed-in professionals of that CPTS; a private regional event for
  those of the CPTS of that region and for regional staff. Coordinators write their
  CPTS's events, regional staff the regional ones.
"""

from django.db.models import Q

from oncolien.accounts.authorization import NOTHING, Rule, memberships_of, register_permission
from oncolien.accounts.models import CPTS_ROLES, Role, User

ROSTER_VIEW = "trainings.roster.view"
ROSTER_EDIT = "trainings.roster.edit"
EVENT_VIEW = "trainings.event.view"
EVENT_EDIT = "trainings.event.edit"
EVENT_CREATE = "trainings.event.create"
EVENT_CREATE_REGIONAL = "trainings.event.create_regional"

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
COORDINATORS = frozenset({Role.COORDINATOR})
REGIONAL = frozenset({Role.REGIONAL, Role.ADMINISTRATOR})


def regions_of_cpts(cpts_ids: list[int]) -> list[str]:
    """The regions the communes of these CPTS are in."""
    from oncolien.territories.models import Commune

    return sorted(
        set(
            Commune.objects.filter(cpts_set__in=cpts_ids)
            .order_by()
            .values_list("department__region_code", flat=True)
            .distinct()
        )
    )


def regional_events_of_my_region(user: User) -> Q:
    cpts_ids = sorted(
        {m.cpts_id for m in memberships_of(user) if m.role in CPTS_ROLES and m.cpts_id}
    )
    if not cpts_ids:
        return NOTHING
    return Q(cpts__isnull=True, region_code__in=regions_of_cpts(cpts_ids))


def regional_staff_edit(user: User) -> Q:
    if any(m.role == Role.REGIONAL for m in memberships_of(user)):
        return Q(cpts__isnull=True)
    return NOTHING


def register() -> None:
    register_permission(
        ROSTER_VIEW,
        Rule(
            cpts_roles=CPTS_ROLES,
            global_roles=ADMINISTRATORS,
            cpts_path="pk",
            model="territories.cpts",
            description="Voir les professionnel·les formé·es de la CPTS et leurs formations",
        ),
    )
    register_permission(
        ROSTER_EDIT,
        Rule(
            cpts_roles=COORDINATORS,
            global_roles=ADMINISTRATORS,
            cpts_path="pk",
            model="territories.cpts",
            description="Tenir la liste des professionnel·les formé·es et leurs formations",
        ),
    )
    register_permission(
        EVENT_VIEW,
        Rule(
            cpts_roles=CPTS_ROLES,
            global_roles=REGIONAL,
            grant=regional_events_of_my_region,
            model="trainings.event",
            description="Voir les événements réservés aux professionnel·les (CPTS ou région)",
        ),
    )
    register_permission(
        EVENT_EDIT,
        Rule(
            cpts_roles=COORDINATORS,
            global_roles=ADMINISTRATORS,
            grant=regional_staff_edit,
            model="trainings.event",
            description="Modifier un événement de l'agenda (CPTS : coordination ; région : "
            "équipe régionale)",
        ),
    )
    register_permission(
        EVENT_CREATE,
        Rule(
            cpts_roles=COORDINATORS,
            global_roles=ADMINISTRATORS,
            cpts_path="pk",
            model="territories.cpts",
            description="Annoncer un événement de la CPTS",
        ),
    )
    register_permission(
        EVENT_CREATE_REGIONAL,
        Rule(global_roles=REGIONAL, description="Annoncer un événement régional"),
    )
