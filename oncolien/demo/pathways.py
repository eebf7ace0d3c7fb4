"""A few fictitious pathways of the demo CPTS Nord Aveyron, so that a newcomer's
worklists are not empty: monitoring sheets, one open alert, a needs assessment, a
visit report to the physician and a referral in progress to the demo provider.

Every patient is invented and marked `is_fictitious` (shown « (fictif) » wherever
the patient appears), like the demo directory's organisations. Everything is
written through the services of the apps, by the demo accounts of the roles that
do this work (the coordinating nurse takes the intake call, the community nurse
fills the sheets): the rules, the audit trail and the notifications apply as for
anyone. The system account of the demo directory is an administrator, who holds no
right on a pathway; granting it one would be an exception written beside the rules.

Loading is idempotent and never undoes what a person did: a demo pathway is found
by its patient (CPTS, fictitious, names, date of birth); one that exists is left
exactly as it is, whatever was done on it since; only missing ones are created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.directory.models import Service
from oncolien.pathways.models import CareTeamMember, Pathway
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import (
    care_team_add,
    intake_create,
    monitoring_record_add,
    pathway_update,
    status_change,
    visit_add,
)
from oncolien.reference.models import CareType
from oncolien.referrals.services import Answer, referral_create, referral_transition
from oncolien.territories.models import Commune, Cpts

DEMO_CPTS = "cpts-nord-aveyron"
COORDINATING_NURSE = "idec.nord-aveyron"
COMMUNITY_NURSE = "idel.nord-aveyron"
PHYSICIAN = "medecin.nord-aveyron"
PROVIDER = "dieteticienne.nord-aveyron"
# The demo provider's structure (directory/data/demo_directory.json) and its service.
PROVIDER_SERVICE = (
    "Cabinet de diététique de la vallée du Lot",
    "Consultations diététiques en oncologie",
)


class DemoPathwaysError(RuntimeError):
    """The demo pathways cannot be loaded; the French message says what to run first."""


@dataclass
class DemoPathwaysReport:
    created: int = 0
    kept: int = 0

    def summary(self) -> str:
        return (
            f"Parcours de démonstration : {self.created} créé(s), {self.kept} déjà présent(s) "
            "laissé(s) tel(s) quel(s). Patients fictifs."
        )


@dataclass(frozen=True)
class _Actors:
    coordinating_nurse: User
    community_nurse: User
    physician: User


@dataclass(frozen=True)
class DemoPatient:
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    insee_code: str
    # The work done on the pathway once created, through the services.
    story: Callable[[Pathway, _Actors], None] = field(compare=False)


def _hours_ago(hours: int):
    return timezone.now() - timedelta(hours=hours)


def _team(
    pathway: Pathway, actors: _Actors, *, with_community_nurse: bool = True
) -> CareTeamMember:
    nurse = actors.coordinating_nurse
    gp = care_team_add(actor=nurse, pathway=pathway, role="gp", user=actors.physician)
    if with_community_nurse:
        care_team_add(
            actor=nurse, pathway=pathway, role="community_nurse", user=actors.community_nurse
        )
    return gp


def _story_with_an_alert(pathway: Pathway, actors: _Actors) -> None:
    """In treatment; the community nurse's latest sheet shows a fever: an open alert."""
    nurse, idel = actors.coordinating_nurse, actors.community_nurse
    pathway_update(actor=nurse, pathway=pathway, cancer_site="breast")
    status_change(actor=nurse, pathway=pathway, to_status="included")
    _team(pathway, actors)
    visit = visit_add(actor=idel, pathway=pathway, kind="home", occurred_at=_hours_ago(50))
    monitoring_record_add(
        actor=idel,
        pathway=pathway,
        visit=visit,
        recorded_at=_hours_ago(50),
        values={"temperature_c": "37,2", "pain_score": 2, "pulse_bpm": 78},
    )
    visit = visit_add(actor=idel, pathway=pathway, kind="home", occurred_at=_hours_ago(3))
    monitoring_record_add(
        actor=idel,
        pathway=pathway,
        visit=visit,
        recorded_at=_hours_ago(3),
        values={"temperature_c": "38,7", "pain_score": 3, "pulse_bpm": 96},
    )


def _story_with_a_referral(pathway: Pathway, actors: _Actors) -> None:
    """Followed; an assessment found a nutrition need: a referral sent to the provider."""
    nurse, idel = actors.coordinating_nurse, actors.community_nurse
    pathway_update(actor=nurse, pathway=pathway, cancer_site="colorectal")
    status_change(actor=nurse, pathway=pathway, to_status="included")
    status_change(actor=nurse, pathway=pathway, to_status="followed")
    gp = _team(pathway, actors)
    visit = visit_add(
        actor=nurse,
        pathway=pathway,
        kind="home",
        occurred_at=_hours_ago(28),
        duration_minutes=60,
        notes="Visite d'évaluation à domicile (patient fictif).",
    )
    assessment = assessment_start(
        actor=nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
        visit=visit,
    )
    assessment_save_answers(
        assessment=assessment,
        actor=nurse,
        answers={"distress": 3, "physical_problems": ["fatigue"], "talk_wish": "no"},
    )
    assessment_complete(assessment=assessment, actor=nurse)
    report_create(actor=nurse, visit=visit, recipients=[gp])
    monitoring_record_add(
        actor=idel,
        pathway=pathway,
        recorded_at=_hours_ago(20),
        values={"temperature_c": "36,9", "pain_score": 1, "weight_kg": "61,5"},
    )
    organization, name = PROVIDER_SERVICE
    service = Service.objects.get(
        organization__cpts=pathway.cpts, organization__name=organization, name=name
    )
    referral = referral_create(
        actor=nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=service,
        note="Perte de poids pendant la chimiothérapie (patient fictif).",
    )
    referral_transition(actor=nurse, referral=referral, answer=Answer("sent"))


def _story_after_treatment(pathway: Pathway, actors: _Actors) -> None:
    """After treatment; a first contact just included, with one quiet sheet."""
    nurse = actors.coordinating_nurse
    pathway_update(
        actor=nurse,
        pathway=pathway,
        cancer_site="prostate",
        end_of_active_treatment_on=timezone.localdate() - timedelta(days=75),
    )
    status_change(actor=nurse, pathway=pathway, to_status="included")
    _team(pathway, actors, with_community_nurse=False)
    monitoring_record_add(
        actor=nurse,
        pathway=pathway,
        recorded_at=_hours_ago(70),
        values={"temperature_c": "36,8", "pain_score": 0},
    )


DEMO_PATIENTS = (
    DemoPatient("Vidalenc", "Jeanne", date(1961, 3, 14), "F", "12096", _story_with_an_alert),
    DemoPatient("Cabrolier", "Louis", date(1954, 9, 2), "M", "12094", _story_with_a_referral),
    DemoPatient("Bessière", "Odette", date(1949, 6, 27), "F", "12033", _story_after_treatment),
)


def _acting(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoPathwaysError(
            f"Le compte de démonstration « {username} » n'existe pas : lancez "
            "« manage.py setup_demo »."
        )
    # The loader acts for the demo accounts from the console, where no second factor
    # can be asked: the rules then decide as for a fully signed-in person.
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def _exists(cpts: Cpts, spec: DemoPatient) -> bool:
    return Pathway.objects.filter(
        cpts=cpts,
        patient__is_fictitious=True,
        patient__last_name=spec.last_name,
        patient__first_name=spec.first_name,
        patient__birth_date=spec.birth_date,
    ).exists()


def load_demo_pathways() -> DemoPathwaysReport:
    """Create the demo pathways that are missing; leave the others as they are."""
    cpts = Cpts.objects.filter(slug=DEMO_CPTS, is_demo=True).first()
    if cpts is None:
        raise DemoPathwaysError(
            f"La CPTS de démonstration « {DEMO_CPTS} » n'existe pas : lancez d'abord "
            "« manage.py load_demo_territory »."
        )
    actors = _Actors(
        coordinating_nurse=_acting(COORDINATING_NURSE),
        community_nurse=_acting(COMMUNITY_NURSE),
        physician=_acting(PHYSICIAN),
    )
    report = DemoPathwaysReport()
    today = timezone.localdate()
    for spec in DEMO_PATIENTS:
        if _exists(cpts, spec):
            report.kept += 1
            continue
        # One pathway, all or nothing.
        with transaction.atomic():
            pathway = intake_create(
                actor=actors.coordinating_nurse,
                cpts=cpts,
                patient={
                    "last_name": spec.last_name,
                    "first_name": spec.first_name,
                    "birth_date": spec.birth_date,
                    "sex": spec.sex,
                    "commune": Commune.objects.get(insee_code=spec.insee_code),
                    "is_fictitious": True,
                },
                intake_channel="phone_line",
                first_contact_on=today - timedelta(days=21),
                informed_on=today - timedelta(days=21),
            )
            spec.story(pathway, actors)
        report.created += 1
    return report
