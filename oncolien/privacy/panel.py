"""The data-rights section of the pathway page (a panel of `pathways.extensions`):
shown only to those who may use it, the coordinators of the CPTS."""

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.extensions import Panel
from oncolien.pathways.models import Pathway
from oncolien.privacy.access import PATIENT_ERASE, PATIENT_EXPORT, PATIENT_RECTIFY
from oncolien.privacy.models import Anonymisation


def rights_panel(user: User, pathway: Pathway) -> Panel:
    allowed = {
        "export": is_allowed(user, PATIENT_EXPORT, pathway),
        "rectify": is_allowed(user, PATIENT_RECTIFY, pathway),
        "erase": is_allowed(user, PATIENT_ERASE, pathway),
    }
    anonymisation = (
        Anonymisation.objects.filter(patient_id=pathway.patient_id).first()
        if any(allowed.values())
        else None
    )
    return Panel(
        "privacy/_panel.html",
        {
            "pathway": pathway,
            "allowed": allowed,
            "anonymisation": anonymisation,
            "any": any(allowed.values()),
        },
    )
