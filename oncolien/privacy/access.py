"""Who may exercise a patient's data rights for the CPTS, in the one permission table.

The coordinators of the patient's CPTS (the CPTS is the controller of the data it
holds): the export (right of access), the rectification of the identity, and the
anonymisation. The reports of the retention rule hold counts only: the
coordinators and the administrators read them.
"""

from oncolien.accounts.authorization import Rule, register_permission
from oncolien.accounts.models import Role

PATIENT_EXPORT = "patient.export_data"
PATIENT_RECTIFY = "patient.rectify"
PATIENT_ERASE = "patient.erase"
RETENTION_VIEW = "privacy.retention.view"


def register() -> None:
    coordinators = frozenset({Role.COORDINATOR})
    for name, description in (
        (PATIENT_EXPORT, "Exporter toutes les données d'un patient (droit d'accès)"),
        (PATIENT_RECTIFY, "Rectifier l'identité d'un patient"),
        (PATIENT_ERASE, "Anonymiser les données d'un patient (droit à l'effacement)"),
    ):
        register_permission(
            name,
            Rule(
                cpts_roles=coordinators,
                model="pathways.pathway",
                patient_data=True,
                description=description,
            ),
        )
    register_permission(
        RETENTION_VIEW,
        Rule(
            cpts_roles=coordinators,
            global_roles=frozenset({Role.ADMINISTRATOR}),
            description="Lire les comptes rendus de la règle de conservation (effectifs)",
        ),
    )
