"""Who may see and change the sectors of a CPTS and who coordinates a pathway.

- Sectors: the coordinators and coordinating nurses of the CPTS see them; its
  coordinators define them.
- A pathway's coordinating nurse: chosen at intake by whoever takes the call
  (`pathways.access.PATHWAY_CREATE`), changed later by a coordinator of the CPTS.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

SECTOR_VIEW = "sector.view"
SECTOR_EDIT = "sector.edit"
NURSE_REASSIGN = "pathway.coordinating_nurse.reassign"

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def register() -> None:
    register_permission(
        SECTOR_VIEW,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR, Role.COORDINATING_NURSE}),
            global_roles=ADMINISTRATORS,
            cpts_path="pk",
            model="territories.cpts",
            description="Voir les secteurs de la CPTS et la charge des infirmier·ères",
        ),
    )
    register_permission(
        SECTOR_EDIT,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            global_roles=ADMINISTRATORS,
            cpts_path="pk",
            model="territories.cpts",
            description="Découper la CPTS en secteurs et y nommer les infirmier·ères",
        ),
    )
    register_permission(
        NURSE_REASSIGN,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            model="pathways.pathway",
            patient_data=True,
            description="Confier un parcours à un·e autre infirmier·ère de coordination",
        ),
    )
