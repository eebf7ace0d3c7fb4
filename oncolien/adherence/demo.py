"""One fictitious pathway of the demo CPTS Nord Aveyron on hormone therapy after
treatment: a plan of contacts (every 3 months the first year, then every 6 months, 5
years), two contacts already done — the latest with side effects — and the planned
ones ahead, so that a newcomer sees the follow-up on the pathway page; and her return
to work (sick leave, occupational physician, pre-return visit, part-time), the same
story seen from the worklife app.

As the other demo pathways (demo/pathways.py): the patient is invented and marked
`is_fictitious`, everything is written through the services by the demo coordinating
nurse, and loading is idempotent (an existing demo pathway is left as it is).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.adherence.schedule import add_months
from oncolien.adherence.services import ContactValues, PlanValues, contact_record, plan_save
from oncolien.pathways.models import Pathway
from oncolien.pathways.services import care_team_add, intake_create, pathway_update, status_change
from oncolien.territories.models import Commune, Cpts
from oncolien.worklife.services import WorkValues, work_situation_save

DEMO_CPTS = "cpts-nord-aveyron"
COORDINATING_NURSE = "idec.nord-aveyron"
PHYSICIAN = "medecin.nord-aveyron"
PATIENT = {
    "last_name": "Castanié",
    "first_name": "Martine",
    "birth_date": date(1966, 11, 8),
    "sex": "F",
}
COMMUNE = "12096"  # Espalion


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is not None:
        # From the console no second factor can be asked (as demo/pathways.py).
        user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_demo_adherence() -> str:
    """Create the demo pathway on hormone therapy when it is missing; say what was done."""
    cpts = Cpts.objects.filter(slug=DEMO_CPTS, is_demo=True).first()
    nurse, physician = _acting(COORDINATING_NURSE), _acting(PHYSICIAN)
    if cpts is None or nurse is None or physician is None:
        return "Suivi de l'hormonothérapie de démonstration : CPTS ou comptes absents, rien créé."
    if Pathway.objects.filter(
        cpts=cpts, patient__is_fictitious=True, **{f"patient__{k}": v for k, v in PATIENT.items()}
    ).exists():
        return "Suivi de l'hormonothérapie de démonstration : déjà présent, laissé tel quel."
    today = timezone.localdate()
    started = today - timedelta(days=200)
    with transaction.atomic():
        pathway = intake_create(
            actor=nurse,
            cpts=cpts,
            patient={
                **PATIENT,
                "commune": Commune.objects.get(insee_code=COMMUNE),
                "is_fictitious": True,
            },
            intake_channel="oncologist",
            first_contact_on=today - timedelta(days=320),
            informed_on=today - timedelta(days=320),
        )
        pathway_update(
            actor=nurse,
            pathway=pathway,
            cancer_site="breast",
            end_of_active_treatment_on=started - timedelta(days=14),
        )
        status_change(actor=nurse, pathway=pathway, to_status="included")
        status_change(actor=nurse, pathway=pathway, to_status="followed")
        care_team_add(actor=nurse, pathway=pathway, role="gp", user=physician)
        plan = plan_save(
            actor=nurse,
            pathway=pathway,
            values=PlanValues(
                drug="anastrozole",
                started_on=started,
                duration_years=5,
                contact_mode="call",
                interval_months=6,
                first_year_interval_months=3,
                nurse=nurse,
            ),
        )
        contact_record(
            actor=nurse,
            plan=plan,
            values=ContactValues(
                done_at=_at(add_months(started, 3) + timedelta(days=1), 10),
                planned_on=add_months(started, 3),
                mode="call",
                missed_doses="none",
                stopped=False,
                notes="Traitement bien compris, pilulier en place (patiente fictive).",
            ),
        )
        contact_record(
            actor=nurse,
            plan=plan,
            values=ContactValues(
                done_at=_at(add_months(started, 6), 14),
                planned_on=add_months(started, 6),
                mode="call",
                missed_doses="occasional",
                stopped=False,
                side_effects={"joint_pain": "moderate", "hot_flushes": "mild", "sleep": "mild"},
                notes=(
                    "Douleurs articulaires le matin : activité physique adaptée proposée, "
                    "médecin traitant prévenu (patiente fictive)."
                ),
            ),
        )
        work_situation_save(
            actor=nurse,
            pathway=pathway,
            values=WorkValues(
                status="employed",
                employer_sector="Commerce de détail",
                sick_leave_since=today - timedelta(days=300),
                occupational_physician_contacted_on=today - timedelta(days=20),
                pre_return_visit_on=today + timedelta(days=12),
                part_time_from=today + timedelta(days=40),
                part_time_to=today + timedelta(days=130),
                workstation_adjustment="pas de port de charges lourdes les premiers mois",
            ),
        )
    return (
        "Suivi de l'hormonothérapie de démonstration : 1 parcours créé (patiente fictive, "
        "2 contacts réalisés, reprise du travail en préparation)."
    )
