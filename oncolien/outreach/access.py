"""Who may do what with the CPTS's printed material and the contact requests it brings.

The coordinators of a CPTS write its material and its campaigns; the coordinators
and coordinating nurses of the CPTS read the contact requests (a person's name,
phone and commune: health-adjacent personal data) and record that they called back.
Regional staff and the other CPTS see none of it.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

MATERIAL_EDIT = "outreach.material.edit"
CAMPAIGN_MANAGE = "outreach.campaign.manage"
CONTACT_REQUEST_READ = "outreach.contact_request.read"
CONTACT_REQUEST_WRITE = "outreach.contact_request.write"

_FOLLOWERS = frozenset({Role.COORDINATOR, Role.COORDINATING_NURSE})


def register() -> None:
    register_permission(
        MATERIAL_EDIT,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            cpts_path="pk",
            model="territories.cpts",
            description="Rédiger le flyer et l'affiche de la CPTS, créer ses campagnes",
        ),
    )
    register_permission(
        CAMPAIGN_MANAGE,
        Rule(
            cpts_roles=frozenset({Role.COORDINATOR}),
            model="outreach.campaign",
            description="Voir une campagne de la CPTS, ses comptes et imprimer ses documents",
        ),
    )
    register_permission(
        CONTACT_REQUEST_READ,
        Rule(
            cpts_roles=_FOLLOWERS,
            cpts_path="campaign__cpts",
            model="outreach.contactrequest",
            patient_data=True,
            description="Lire les demandes de contact reçues par les campagnes de la CPTS",
        ),
    )
    register_permission(
        CONTACT_REQUEST_WRITE,
        Rule(
            cpts_roles=_FOLLOWERS,
            cpts_path="campaign__cpts",
            model="outreach.contactrequest",
            patient_data=True,
            description="Noter qu'une demande de contact a été rappelée",
        ),
    )
