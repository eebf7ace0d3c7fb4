"""One CPTS Nord Aveyron world, built through the services (no HTTP), for the sweep.

A pathway whose care team is the coordinating nurse (plus an external GP), a visit
with a report, a monitoring sheet that raised a fever alert, an assessment with a
patient link, a referral sent to a directory service of the provider's
organisation, a post-cancer programme with an act, a directory entry of the CPTS,
a pending public contribution and an import workspace of its coordinator.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from oncolien.accounts.models import User
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.aftercare.tests.factories import make_labelled_service, prescribe
from oncolien.assessments.models import AccessLink, Assessment
from oncolien.assessments.services import assessment_start, link_issue
from oncolien.directory.contributions import contribution_submit
from oncolien.directory.importing import runs, storage
from oncolien.directory.models import Contribution, Location, Organization, Service
from oncolien.directory.tests.factories import make_service
from oncolien.indicators.models import ActivityReport, ReportStatus
from oncolien.pathways.models import Alert, CareTeamMember, MonitoringRecord, Pathway, Visit
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import (
    care_team_add,
    monitoring_record_add,
    pathway_update,
    visit_add,
)
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals.models import Referral
from oncolien.referrals.services import Answer, referral_create, referral_transition
from oncolien.territories.models import Cpts

# A name found nowhere else, so that a page that leaks it is caught by a plain search.
PATIENT_LAST_NAME = "Fabrègue"
PATIENT_FIRST_NAME = "Hortense"
ESPALION = "12096"
PROVIDER_EMAIL = "dieteticienne.nord@test.invalid"  # the `provider` persona's e-mail
IMPORT_TEMPLATE = (
    Path(__file__).resolve().parents[2] / "oncolien" / "directory" / "data" / "import_template.csv"
)


@dataclass
class World:
    cpts: Cpts
    pathway: Pathway
    gp_member: CareTeamMember
    visit: Visit
    report: object
    record: MonitoringRecord
    alert: Alert
    assessment: Assessment
    link: AccessLink
    referral: Referral
    dietitian: Service
    programme: PostCancerProgramme
    act: ProgrammeAct
    labelled_service: Service
    organization: Organization
    location: Location
    service: Service
    contribution: Contribution
    import_token: str
    activity_report: ActivityReport


def build_world(*, coordinator: User, coordinating_nurse: User) -> World:
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    today = timezone.localdate()
    nurse = coordinating_nurse

    pathway = make_pathway(actor=nurse, last_name=PATIENT_LAST_NAME, first_name=PATIENT_FIRST_NAME)
    pathway = pathway_update(
        actor=nurse,
        pathway=pathway,
        cancer_ald=True,
        end_of_active_treatment_on=today - timedelta(days=90),
    )
    gp_member = care_team_add(
        actor=nurse, pathway=pathway, role="gp", name="Dr Paul Roux", email="roux@medecin.invalid"
    )

    visit = visit_add(
        actor=nurse, pathway=pathway, kind="home", occurred_at=timezone.now() - timedelta(hours=2)
    )
    record = monitoring_record_add(
        actor=nurse, pathway=pathway, visit=visit, values={"temperature_c": "38,9"}
    )
    alert = record.alerts.get()
    report = report_create(actor=nurse, visit=visit, recipients=[gp_member])

    assessment = assessment_start(
        actor=nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
    )
    link = link_issue(
        actor=nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        channel="print",
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
    ).link

    dietitian = make_service(
        cpts=cpts,
        name="Consultation diététique",
        organization="Cabinet de diététique d'Espalion",
        care_types=["nutrition"],
        commune=ESPALION,
    )
    Organization.objects.filter(pk=dietitian.organization_id).update(email=PROVIDER_EMAIL)
    referral = referral_create(
        actor=nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=dietitian,
    )
    referral_transition(actor=nurse, referral=referral, answer=Answer("sent"))

    labelled_service = make_labelled_service()
    programme = prescribe(
        actor=nurse,
        pathway=pathway,
        service=labelled_service,
        prescribed_on=today - timedelta(days=60),
        dietary_assessment=True,
        dietary_follow_ups=1,
    )
    act = programme.acts.order_by("pk").first()

    service = make_service(
        cpts=cpts,
        name="Atelier d'activité physique adaptée",
        organization="Association Sport Santé Espalion",
        care_types=["physical_activity"],
        commune=ESPALION,
    )
    organization = service.organization
    location = organization.locations.get()
    contribution = contribution_submit(
        cpts=cpts,
        proposal={"name": "Groupe de parole", "description": "Le jeudi soir."},
        client_ip="192.0.2.10",
        contributor_name="Un habitant",
    )

    import_token = storage.new_signed_token(user=coordinator)
    workspace = storage.open_workspace(import_token, user=coordinator, create=True)
    assert workspace is not None  # created
    workspace.save_source(filename="annuaire.csv", data=IMPORT_TEMPLATE.read_bytes(), cpts=cpts)
    runs.validate_workspace(workspace, cpts=cpts)

    # A ready activity report of the CPTS (its file stands in for a render: the sweep
    # checks who reaches it, indicators/tests/test_report.py what it shows).
    activity_report = ActivityReport.objects.create(
        cpts=cpts,
        period_code=f"{today:%Y-%m}",
        requested_by=coordinator,
        status=ReportStatus.READY,
        content=b"%PDF-1.7 rapport",
        filename="rapport-activite.pdf",
        page_count=1,
        finished_at=timezone.now(),
    )

    return World(
        cpts=cpts,
        pathway=pathway,
        gp_member=gp_member,
        visit=visit,
        report=report,
        record=record,
        alert=alert,
        assessment=assessment,
        link=link,
        referral=referral,
        dietitian=dietitian,
        programme=programme,
        act=act,
        labelled_service=labelled_service,
        organization=organization,
        location=location,
        service=service,
        contribution=contribution,
        import_token=import_token,
        activity_report=activity_report,
    )


def day(offset: int = 0) -> str:
    """An ISO date `offset` days from today, for form and JSON bodies."""
    return (date.today() + timedelta(days=offset)).isoformat()
