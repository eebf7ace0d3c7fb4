"""Who may read and curate a CPTS's contacts after the announcement.

Curation follows the directory's: the coordinators of the CPTS (and the
administrators). Every professional of the CPTS reads the list; it holds no patient
data, so no second factor is asked for it.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

CONTACTS_EDIT = "announcement_contacts.edit"
CONTACTS_READ = "announcement_contacts.read"
PROFESSIONALS = frozenset(
    {
        Role.COORDINATOR,
        Role.COORDINATING_NURSE,
        Role.COMMUNITY_NURSE,
        Role.PHYSICIAN,
        Role.PROVIDER,
    }
)


def register() -> None:
    register_permission(
        CONTACTS_EDIT,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            global_roles=frozenset({Role.ADMINISTRATOR}),
            cpts_path="pk",
            model="territories.cpts",
            description="Tenir la liste des contacts à joindre après l'annonce de la CPTS",
        ),
    )
    register_permission(
        CONTACTS_READ,
        Rule(
            cpts_roles=PROFESSIONALS,
            global_roles=frozenset({Role.ADMINISTRATOR}),
            cpts_path="pk",
            model="territories.cpts",
            description="Voir les contacts à joindre après l'annonce de la CPTS",
        ),
    )
