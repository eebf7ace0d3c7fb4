"""The route table: every URL pattern and API operation of OncoLien, and how it is covered.

- PUBLIC: routes anyone may use, each with the reason it holds no protected object.
- SWEPT: routes that take an object of CPTS Nord Aveyron, or are reserved to roles
  some persona lacks. The personas named must get a 404 and exactly one audited
  denial; `read_as` names who must read it (200, audited).
- SCOPED: lists limited to what the user may see; the outsider gets 200 and no
  Nord Aveyron patient.

Django views are keyed by URL name ("namespace:name"; an unnamed pattern by its
route); API operations by (method, path template) as in the OpenAPI schema. A
route in no table, or a table entry that names no route, fails
test_route_table.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from oncolien.aftercare.semesters import last_complete
from tests.routes.world import ESPALION, PATIENT_LAST_NAME, World, day

# Who may never see a Nord Aveyron pathway: the coordinator of another CPTS, the
# regional staff (no nominative data) and a physician of the CPTS off the care team.
PATIENT_OUTSIDERS = ("outsider", "regional", "physician")
# The API reaches objects through the same selectors as the views: the outsider sweeps
# every operation, the other personas the pathway read only.
API_OUTSIDERS = ("outsider",)


def _none(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Swept:
    kwargs: Callable[[World], dict] = _none
    methods: tuple[str, ...] = ("GET",)  # Django views only; an API key holds its method
    body: Callable[[World], dict] = _none
    query: Callable[[World], dict] = _none
    personas: tuple[str, ...] = PATIENT_OUTSIDERS
    read_as: str | None = None


@dataclass(frozen=True)
class Scoped:
    kwargs: Callable[[World], dict] = _none
    personas: tuple[str, ...] = ("outsider",)
    # Someone who sees the Nord Aveyron patient in the same list (proves the check).
    shown_to: str | None = None
    # What must not show: the patient's last name unless told otherwise.
    marker: Callable[[World], str] | None = None


def _pathway(w: World) -> dict:
    return {"pk": w.pathway.pk}


def _pathway_pk(w: World) -> dict:
    return {"pathway_pk": w.pathway.pk}


def _cpts(w: World) -> dict:
    return {"slug": w.cpts.slug}


def _token(w: World) -> dict:
    return {"token": w.import_token}


def _data_export(w: World) -> dict:
    """A ready export of the world's patient, asked for by the coordinator persona."""
    from oncolien.accounts.models import User
    from oncolien.privacy.models import DataExport, ExportStatus

    coordinator = User.objects.get(username="coordinatrice.nord")  # the coordinator persona
    export, _ = DataExport.objects.get_or_create(
        pathway=w.pathway,
        requested_by=coordinator,
        defaults={"status": ExportStatus.READY, "pdf_content": b"%PDF-1.7 export"},
    )
    return {"pk": w.pathway.pk, "export_pk": export.pk, "kind": "pdf"}


def _ars_file_pdf(w: World) -> dict:
    """A PDF of the ARS file the world's coordinator asked for (not laid out yet)."""
    from oncolien.accounts.models import User
    from oncolien.aftercare.models import ArsFilePdf

    coordinator = User.objects.get(username="coordinatrice.nord")  # the coordinator persona
    pdf, _ = ArsFilePdf.objects.get_or_create(requested_by=coordinator, semester="2026-S1")
    return {"pk": pdf.pk}


def _survey(w: World):
    """An open regional survey with one invitation, made on first use."""
    from oncolien.surveys.models import (
        CptsRegister,
        CptsRegisterEntry,
        Invitation,
        Survey,
        SurveyStatus,
    )

    register, _ = CptsRegister.objects.get_or_create(title="Registre (routes)", region="Occitanie")
    entry, _ = CptsRegisterEntry.objects.get_or_create(
        register=register, name="CPTS Nord Aveyron", defaults={"department": "12"}
    )
    survey, _ = Survey.objects.get_or_create(
        code="routes",
        defaults={"title": "Enquête", "status": SurveyStatus.OPEN, "register": register},
    )
    invitation, _ = Invitation.objects.get_or_create(
        survey=survey, entry=entry, email="contact@cpts.test", defaults={"token_hash": "0" * 64}
    )
    return survey, invitation


def _survey_pk(w: World) -> dict:
    return {"pk": _survey(w)[0].pk}


def _invitation_pk(w: World) -> dict:
    return {"pk": _survey(w)[1].pk}


def _api_pathway(w: World) -> dict:
    return {"pathway_id": w.pathway.pk}


def _api_referral(w: World) -> dict:
    return {"referral_id": w.referral.pk}


def _prescription(w: World) -> dict:
    return {
        "prescriber_role": "gp",
        "prescriber_name": "Dr Paul Costes",
        "prescribed_on": day(-10),
        "service": w.labelled_service.pk,
        "physical_activity_assessment": "on",
        "dietary_follow_ups": "0",
        "psychological_follow_ups": "0",
    }


def _intake(w: World) -> dict:
    return {
        "cpts": str(w.cpts.pk),
        "last_name": "Nouvelle",
        "first_name": "Patiente",
        "birth_date": "1960-01-01",
        "sex": "F",
        "commune": ESPALION,
        "intake_channel": "phone_line",
        "first_contact_on": day(),
    }


def _practice(w: World, status: str = "draft"):
    """A practice of CPTS Nord Aveyron in `status`, made on first use."""
    from oncolien.practices.models import Practice

    practice, _ = Practice.objects.get_or_create(
        cpts=w.cpts,
        title=f"Action non publiée ({status})",
        defaults={"summary": "Une action de la CPTS.", "status": status},
    )
    return practice


def _with_draft(w: World) -> dict:
    _practice(w)
    return {}


def _draft(w: World) -> dict:
    return {"pk": _practice(w).pk}


def _in_review(w: World) -> dict:
    return {"pk": _practice(w, "submitted").pk}


def _draft_document(w: World) -> dict:
    from oncolien.practices.models import Document

    practice = _practice(w)
    document, _ = Document.objects.get_or_create(
        practice=practice,
        title="Flyer",
        defaults={
            "kind": "flyer",
            "filename": "flyer.pdf",
            "content_type": "application/pdf",
            "size": 9,
            "content": b"%PDF-1.4\n",
        },
    )
    return {"pk": practice.pk, "document_pk": document.pk}


def _practice_values(w: World) -> dict:
    return {"title": "Action pirate", "summary": "Rien."}


def _analysed_survey(w: World):
    """The analysis tests' survey (32 responses, results shared), made on first use."""
    from oncolien.surveys.models import Survey
    from oncolien.surveys.tests import analysis_data

    survey = Survey.objects.filter(code="sos-test").first()
    return survey or analysis_data.build(shared=True)


def _analysed_survey_pk(w: World) -> dict:
    return {"pk": _analysed_survey(w).pk}


def _survey_report(w: World) -> dict:
    """A report of the survey asked by the regional persona (not laid out yet)."""
    from oncolien.accounts.models import Membership, User
    from oncolien.surveys.models import SurveyReportPdf

    # The regional persona, made here when the sweep did not ask for it (a refusal).
    regional, made = User.objects.get_or_create(username="guichet.occitanie")
    if made:
        Membership.objects.create(user=regional, role="regional", cpts=None)
    pdf, _ = SurveyReportPdf.objects.get_or_create(
        survey=_analysed_survey(w), requested_by=regional
    )
    return {"pk": pdf.pk}


def _announcement_contact(w: World) -> dict:
    """A contact after the announcement of CPTS Nord Aveyron, made on first use."""
    from oncolien.contacts.models import AnnouncementContact

    contact, _ = AnnouncementContact.objects.get_or_create(
        cpts=w.cpts,
        name="Hôpital de jour d'oncologie",
        defaults={
            "kind": "day_hospital",
            "establishment": "CH de Rodez",
            "phone": "05 36 49 21 01",
        },
    )
    return {"pk": contact.pk}


def _contact_values(w: World) -> dict:
    return {
        "kind": "other",
        "name": "Contact pirate",
        "establishment": "Ailleurs",
        "phone": "05 36 49 99 99",
        "position": "1",
    }


def _booklet_link(w: World) -> dict:
    """A patient link to the world's booklet (its token unknown), made on first use."""
    from oncolien.booklets.models import Booklet, BookletLink

    booklet, _ = Booklet.objects.get_or_create(pathway=w.pathway)
    link, _ = BookletLink.objects.get_or_create(
        booklet=booklet,
        token_hash="b" * 64,
        defaults={
            "code_hash": "!",
            "channel": "print",
            "expires_at": timezone.now() + timedelta(days=30),
            "created_by": w.pathway.created_by,
        },
    )
    return {"link_pk": link.pk}


def _now() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


ADMIN = "the Django admin has its own staff log-in and permissions"
HSDS = "HSDS open-data reads of the public directory"
SURVEY_LINK = (
    "survey answering by token link (personal or open), covered by surveys/tests/test_answering.py"
)
FHIR_DIRECTORY = "FHIR reads of the public directory (no patient data)"
OWN_ACCOUNT = "the signed-in user's own account, no one else's object"

# Whole namespaces declared public at once (the admin: 140-odd generated patterns).
PUBLIC_NAMESPACES: dict[str, str] = {"admin": ADMIN}

PUBLIC: dict[str | tuple[str, str], str] = {
    "web:home": "home page; sections follow the user's own roles",
    "background:health": "the background consumer's last heartbeat, no patient data",
    "background:alive": "liveness probe: the process answers, nothing else is read",
    "background:ready": "readiness probe: database, consumer heartbeat, Redis; no patient data",
    "accounts:login": "log-in page",
    "accounts:logout": "log-out",
    "accounts:verify": "second step of the log-in, " + OWN_ACCOUNT,
    "accounts:setup_2fa": "set up the second factor, " + OWN_ACCOUNT,
    "accounts:security": "security page, " + OWN_ACCOUNT,
    "accounts:psc_login": "sends to Pro Santé Connect (404 unless configured), no object",
    "accounts:psc_callback": (
        "back from Pro Santé Connect: opens the session of the account with this RPPS "
        "(404 unless configured); covered by tests/oidc/"
    ),
    "apitokens:tokens": "the user's own API tokens, " + OWN_ACCOUNT,
    "apitokens:revoke": "revokes one of the user's own API tokens; another's is a 404",
    "notifications:inbox": "the signed-in user's own notifications, " + OWN_ACCOUNT,
    "notifications:open": "opens one of the user's own notifications; another's is a 404",
    "notifications:mark_all_read": "marks the user's own notifications read, " + OWN_ACCOUNT,
    "reference:care_types": "public reference list of supportive care types",
    "territories:cpts_list": "public list of the CPTS",
    "territories:cpts_detail": "public page of a CPTS and its communes",
    "directory:search": "public directory search",
    "directory:service_detail": "public page of a published service",
    "directory:cpts_directory": "public directory of a CPTS",
    "directory:contribute_new": "public contribution form (no account, moderated)",
    "directory:contribute_thanks": "public thank-you page of a contribution",
    "directory:contribute_correction": "public correction form of a published service",
    "directory:import_template": "the empty import model file (columns and examples only)",
    "directory:export_csv": "public export of a CPTS directory",
    "directory:export_xlsx": "public export of a CPTS directory",
    "directory:cpts_pdf": "printable public directory of a CPTS",
    "calendar:public": "public calendar: only the events their organisers made public",
    "calendar:cpts_feed": "public iCalendar feed of a CPTS: only its public events",
    "calendar:region_feed": "public iCalendar feed of a region: only its public events",
    "practices:list": "public list of published practices (retours d'expérience)",
    "practices:compare": "public comparison of published practices' radars",
    "practices:resources": "regional resources shipped as data, no protected object",
    "practices:propose": "public practice proposal form (no account, reviewed before publication)",
    "practices:propose_thanks": "public thank-you page of a practice proposal",
    "outreach:public": (
        "a campaign's public page (QR code): the CPTS's offer, territory check and contact "
        "form, no account; it shows nothing a person sent"
    ),
    "outreach:public_thanks": "thank-you page of a contact request, shows no data",
    "assessments:patient_fill": "one-time token link for patients, covered by assessments/tests/test_links.py",
    "surveys:r_start": SURVEY_LINK,
    "surveys:r_section": SURVEY_LINK,
    "surveys:r_review": SURVEY_LINK,
    "surveys:o_start": SURVEY_LINK,
    "surveys:o_section": SURVEY_LINK,
    "surveys:o_review": SURVEY_LINK,
    "referrals:provider_link": "signed token link for providers, covered by referrals/tests/test_provider_link.py",
    "booklets:patient": (
        "the patient's personal booklet link (token, then a code given apart), covered by "
        "booklets/tests/test_patient_link.py"
    ),
    "hsds:api_info": HSDS,
    "hsds:services": HSDS,
    "hsds:services_detail": HSDS,
    "hsds:organizations": HSDS,
    "hsds:organizations_detail": HSDS,
    "hsds:service_at_locations": HSDS,
    "hsds:service_at_locations_detail": HSDS,
    "hsds:taxonomies": HSDS,
    "hsds:taxonomies_detail": HSDS,
    "hsds:taxonomy_terms": HSDS,
    "hsds:taxonomy_terms_detail": HSDS,
    "hsds:package": HSDS,
    "hsds:unknown": "HSDS answer for an unknown path (404 JSON, no data)",
    "fhir:metadata": "FHIR capability statement",
    "fhir:healthcareservice_search": FHIR_DIRECTORY,
    "fhir:healthcareservice": FHIR_DIRECTORY,
    "fhir:organization_search": FHIR_DIRECTORY,
    "fhir:organization": FHIR_DIRECTORY,
    "fhir:location_search": FHIR_DIRECTORY,
    "fhir:location": FHIR_DIRECTORY,
    "fhir:codesystem": "FHIR code systems (reference data)",
    "fhir:questionnaire": "FHIR questionnaires: the instruments, no patient data",
    "fhir:base": "FHIR answer for an unknown resource type (OperationOutcome)",
    "fhir/<path:path>": "FHIR answer for an unknown resource type (OperationOutcome)",
    "api:api-root": "the API's root (no data)",
    "api:openapi-json": "the API's OpenAPI schema",
    "api:openapi-view": "the API's documentation page",
    "api:unknown-route": "any other path under /api/v1/: a JSON 404, no data",
    ("GET", "/api/v1/health"): "health check",
    ("GET", "/api/v1/accounts/me"): OWN_ACCOUNT,
    ("GET", "/api/v1/reference/care-types"): "reference data",
    ("GET", "/api/v1/reference/care-types/{code}"): "reference data",
    ("GET", "/api/v1/reference/professions"): "reference data",
    ("GET", "/api/v1/reference/phases"): "reference data",
    ("GET", "/api/v1/reference/version"): "reference data",
    ("GET", "/api/v1/territories/communes"): "public territories",
    ("GET", "/api/v1/territories/communes/{insee_code}"): "public territories",
    ("GET", "/api/v1/territories/cpts"): "public territories",
    ("GET", "/api/v1/territories/cpts/{slug}"): "public territories",
    ("GET", "/api/v1/directory/services"): "public directory search",
}

# Curation and moderation: coordinators of the CPTS only (and administrators).
CURATORS_ONLY = ("outsider", "regional", "physician")
# Who may not use the regional team's pages (surveys are built, sent, imported and
# analysed by regional staff only): every persona of a CPTS.
NOT_REGIONAL_STAFF = ("outsider", "coordinator", "physician")
SURVEY_OUTSIDERS = NOT_REGIONAL_STAFF


def _survey_section(w: World) -> dict:
    return _survey_pk(w) | {"section": "partie"}


def _survey_question(w: World) -> dict:
    return _survey_pk(w) | {"code": "question"}


def _cpts_register(w: World) -> dict:
    from oncolien.surveys.models import CptsRegister

    register, _ = CptsRegister.objects.get_or_create(title="Registre balayé", region="Occitanie")
    return {"pk": register.pk}


# --- Sectors, roster and calendar (issue 14): their objects, made on first use.


def _coordinator_persona():
    from oncolien.accounts.models import User

    return User.objects.get(username="coordinatrice.nord")


def _sector(w: World) -> dict:
    from oncolien.sectors.models import Sector

    sector, _ = Sector.objects.get_or_create(cpts=w.cpts, name="Secteur balayé")
    return {"slug": w.cpts.slug, "pk": sector.pk}


def _trained(w: World) -> dict:
    from oncolien.trainings.models import TrainedProfessional

    professional, _ = TrainedProfessional.objects.get_or_create(
        cpts=w.cpts, last_name="Balayée", first_name="Irène"
    )
    return {"slug": w.cpts.slug, "pk": professional.pk}


def _training(w: World) -> dict:
    from oncolien.trainings.models import Training

    training, _ = Training.objects.get_or_create(
        cpts=w.cpts, title="Formation balayée", organiser="CHU"
    )
    return {"slug": w.cpts.slug, "pk": training.pk}


PRIVATE_EVENT_TITLE = "Réunion réservée Nord Aveyron"


def _private_event(w: World):
    from oncolien.trainings.models import Event

    start = timezone.now() + timedelta(days=7)
    event, _ = Event.objects.get_or_create(
        cpts=w.cpts,
        title=PRIVATE_EVENT_TITLE,
        defaults={
            "organiser": "CPTS Nord Aveyron",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place": "Espalion",
            "created_by": _coordinator_persona(),
        },
    )
    return event


def _event(w: World) -> dict:
    return {"pk": _private_event(w).pk}


def _with_private_event(w: World) -> dict:
    _private_event(w)
    return {}


def _campaign(w: World):
    """A campaign of the world's CPTS, made on first use."""
    from oncolien.accounts.models import User
    from oncolien.outreach.models import Campaign

    coordinator = User.objects.get(username="coordinatrice.nord")  # the coordinator persona
    campaign, _ = Campaign.objects.get_or_create(
        cpts=w.cpts, name="radiologie (routes)", defaults={"created_by": coordinator}
    )
    return campaign


def _campaign_pk(w: World) -> dict:
    return {"pk": _campaign(w).pk}


def _contact_request_pk(w: World) -> dict:
    from django.utils import timezone

    from oncolien.outreach.models import ContactRequest
    from oncolien.territories.models import Commune

    request, _ = ContactRequest.objects.get_or_create(
        campaign=_campaign(w),
        name=PATIENT_LAST_NAME,
        defaults={
            "phone": "06 12 34 56 78",
            "commune": Commune.objects.get(insee_code=ESPALION),
            "preferred_time": "any",
            "consented_at": timezone.now(),
            "sender_fingerprint": "routes",
        },
    )
    return {"pk": request.pk}


SWEPT: dict[str | tuple[str, str], Swept] = {
    # --- Sectors: the CPTS's coordinators and coordinating nurses see them, its
    # coordinators define them and hand a pathway over to another nurse.
    "sectors:index": Swept(personas=("regional", "physician")),
    "sectors:cpts": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    "sectors:without": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    "sectors:create": Swept(
        kwargs=_cpts,
        methods=("GET", "POST"),
        body=lambda w: {"name": "Secteur pirate"},
        personas=CURATORS_ONLY,
    ),
    "sectors:edit": Swept(
        kwargs=_sector,
        methods=("GET", "POST"),
        body=lambda w: {"name": "Renommé"},
        personas=CURATORS_ONLY,
    ),
    "sectors:delete": Swept(kwargs=_sector, methods=("POST",), personas=CURATORS_ONLY),
    "sectors:reassign": Swept(kwargs=_pathway, methods=("POST",), body=lambda w: {"nurse": "1"}),
    # --- The roster of trained professionals: the CPTS's professionals read it, its
    # coordinators keep it.
    "trainings:index": Swept(personas=("regional",)),
    "trainings:roster": Swept(kwargs=_cpts, personas=("outsider", "regional")),
    "trainings:professional_add": Swept(
        kwargs=_cpts,
        methods=("GET", "POST"),
        body=lambda w: {"last_name": "Pirate", "first_name": "Jo", "profession": "IDE"},
        personas=CURATORS_ONLY,
    ),
    "trainings:professional_remove": Swept(
        kwargs=_trained, methods=("POST",), personas=CURATORS_ONLY
    ),
    "trainings:training_create": Swept(
        kwargs=_cpts, methods=("GET", "POST"), personas=CURATORS_ONLY
    ),
    "trainings:training_edit": Swept(
        kwargs=_training, methods=("GET", "POST"), personas=CURATORS_ONLY
    ),
    "trainings:training_delete": Swept(kwargs=_training, methods=("POST",), personas=CURATORS_ONLY),
    # --- The calendar: a CPTS's events are written by its coordinators (the outsider
    # writes his own CPTS's, regional staff the regional ones).
    "calendar:create": Swept(methods=("GET", "POST"), personas=("physician",)),
    "calendar:edit": Swept(kwargs=_event, methods=("GET", "POST"), personas=CURATORS_ONLY),
    "calendar:delete": Swept(kwargs=_event, methods=("POST",), personas=CURATORS_ONLY),
    # --- Accounts
    "accounts:cpts_members": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    # --- Directory curation and moderation
    "directory:manage": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    "directory:organization_create": Swept(
        kwargs=_cpts,
        methods=("GET", "POST"),
        body=lambda w: {"name": "Structure pirate", "kind": "association"},
        personas=CURATORS_ONLY,
    ),
    "directory:organization_edit": Swept(
        kwargs=lambda w: {"pk": w.organization.pk},
        methods=("GET", "POST"),
        body=lambda w: {"name": "Renommée", "kind": "association"},
        personas=CURATORS_ONLY,
    ),
    "directory:organization_history": Swept(
        kwargs=lambda w: {"pk": w.organization.pk}, personas=CURATORS_ONLY
    ),
    "directory:location_create": Swept(
        kwargs=lambda w: {"organization_pk": w.organization.pk},
        methods=("GET", "POST"),
        body=lambda w: {"commune": ESPALION, "address": "2 rue du Pont"},
        personas=CURATORS_ONLY,
    ),
    "directory:location_edit": Swept(
        kwargs=lambda w: {"pk": w.location.pk},
        methods=("GET", "POST"),
        body=lambda w: {"commune": ESPALION, "address": "3 rue du Pont"},
        personas=CURATORS_ONLY,
    ),
    "directory:service_create": Swept(
        kwargs=lambda w: {"organization_pk": w.organization.pk},
        methods=("GET", "POST"),
        body=lambda w: {"name": "Offre pirate", "cost": "free"},
        personas=CURATORS_ONLY,
    ),
    "directory:service_edit": Swept(
        kwargs=lambda w: {"pk": w.service.pk},
        methods=("GET", "POST"),
        body=lambda w: {"name": "Offre renommée", "cost": "free"},
        personas=CURATORS_ONLY,
    ),
    "directory:service_status": Swept(
        kwargs=lambda w: {"pk": w.service.pk},
        methods=("POST",),
        body=lambda w: {"status": "inactive"},
        personas=CURATORS_ONLY,
    ),
    "directory:service_verify": Swept(
        kwargs=lambda w: {"pk": w.service.pk}, methods=("POST",), personas=CURATORS_ONLY
    ),
    "directory:service_history": Swept(
        kwargs=lambda w: {"pk": w.service.pk}, personas=CURATORS_ONLY
    ),
    "directory:moderation": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    "directory:contribution_detail": Swept(
        kwargs=lambda w: {"pk": w.contribution.pk}, personas=CURATORS_ONLY
    ),
    "directory:contribution_accept": Swept(
        kwargs=lambda w: {"pk": w.contribution.pk},
        methods=("POST",),
        body=lambda w: {"name": "Groupe de parole", "note": ""},
        personas=CURATORS_ONLY,
    ),
    "directory:contribution_reject": Swept(
        kwargs=lambda w: {"pk": w.contribution.pk},
        methods=("POST",),
        body=lambda w: {"reason": "Doublon"},
        personas=CURATORS_ONLY,
    ),
    # --- Directory import: the outsider may import into Sud Tarn, not Nord Aveyron.
    "directory:import_index": Swept(personas=("regional", "physician")),
    "directory:import_upload": Swept(
        kwargs=_cpts,
        methods=("GET", "POST"),
        body=lambda w: {"jeton": "jeton-pirate"},
        personas=CURATORS_ONLY,
    ),
    # A workspace token of the Nord Aveyron coordinator, replayed by someone else.
    "directory:import_preview": Swept(kwargs=_token, personas=CURATORS_ONLY),
    "directory:import_apply": Swept(kwargs=_token, methods=("POST",), personas=CURATORS_ONLY),
    "directory:import_progress": Swept(kwargs=_token, personas=CURATORS_ONLY),
    "directory:import_status": Swept(kwargs=_token, personas=CURATORS_ONLY),
    "directory:import_report": Swept(kwargs=_token, personas=CURATORS_ONLY),
    # --- Pathways
    # The outsider takes intake calls in Sud Tarn (see SCOPED); the others never.
    "pathways:intake": Swept(
        methods=("GET", "POST"), body=_intake, personas=("regional", "physician")
    ),
    "pathways:intake_calls": Swept(
        methods=("GET", "POST"),
        body=lambda w: {"commune": ESPALION, "intake_channel": "patient", "reason": "Information"},
        personas=("regional", "physician"),
    ),
    # --- The patient's data rights (RGPD): the coordinators of the pathway's CPTS only.
    "privacy:exports": Swept(kwargs=_pathway, read_as="coordinator"),
    "privacy:export_request": Swept(kwargs=_pathway, methods=("POST",)),
    "privacy:export_download": Swept(kwargs=_data_export, read_as="coordinator"),
    "privacy:rectify": Swept(
        kwargs=_pathway,
        methods=("GET", "POST"),
        body=lambda w: {"last_name": "Autre", "reason": "test"},
        read_as="coordinator",
    ),
    "privacy:anonymise": Swept(
        kwargs=_pathway,
        methods=("GET", "POST"),
        body=lambda w: {"reason": "request", "confirm": "on"},
        read_as="coordinator",
    ),
    # The retention rule's reports (counts only): coordinators and administrators.
    "privacy:retention": Swept(personas=("regional", "physician", "coordinating_nurse")),
    "pathways:pathway_detail": Swept(kwargs=_pathway, read_as="coordinator"),
    "pathways:status_update": Swept(
        kwargs=_pathway, methods=("POST",), body=lambda w: {"to_status": "included"}
    ),
    "pathways:details_update": Swept(
        kwargs=_pathway, methods=("POST",), body=lambda w: {"cancer_site": "breast"}
    ),
    "pathways:treatment_add": Swept(
        kwargs=_pathway, methods=("POST",), body=lambda w: {"kind": "chemotherapy"}
    ),
    "pathways:consent_add": Swept(
        kwargs=_pathway,
        methods=("POST",),
        body=lambda w: {"informed_on": day(), "objects_to_sharing": "on"},
    ),
    "pathways:team_user_add": Swept(
        kwargs=_pathway,
        methods=("POST",),
        body=lambda w: {"user": str(w.pathway.created_by_id), "role": "gp"},
    ),
    "pathways:team_contact_add": Swept(
        kwargs=_pathway,
        methods=("POST",),
        body=lambda w: {"name": "Pharmacie du Lot", "role": "pharmacist"},
    ),
    "pathways:team_remove": Swept(
        kwargs=lambda w: {"pk": w.pathway.pk, "member_pk": w.gp_member.pk}, methods=("POST",)
    ),
    "pathways:visit_add": Swept(
        kwargs=_pathway,
        methods=("GET", "POST"),
        body=lambda w: {"kind": "phone", "occurred_at": _now()},
        read_as="coordinator",
    ),
    "pathways:record_add": Swept(
        kwargs=_pathway,
        methods=("GET", "POST"),
        body=lambda w: {"temperature_c": "39,5"},
        read_as="coordinator",
    ),
    "pathways:alert_acknowledge": Swept(
        kwargs=lambda w: {"alert_pk": w.alert.pk},
        methods=("POST",),
        body=lambda w: {"comment": "Vu"},
    ),
    "pathways:alert_comment": Swept(
        kwargs=lambda w: {"alert_pk": w.alert.pk},
        methods=("POST",),
        body=lambda w: {"text": "Appel à l'hôpital de jour"},
    ),
    "pathways:alert_protocol": Swept(
        kwargs=_cpts,
        methods=("GET", "POST"),
        body=lambda w: {"fever_threshold_c": "38,2", "escalation_after_minutes": "60"},
        personas=(*CURATORS_ONLY, "coordinating_nurse"),
    ),
    "pathways:report_create": Swept(
        kwargs=lambda w: {"visit_pk": w.visit.pk},
        methods=("GET", "POST"),
        body=lambda w: {"recipients": [w.gp_member.pk]},
        read_as="coordinator",
    ),
    "pathways:report_detail": Swept(kwargs=lambda w: {"pk": w.report.pk}, read_as="coordinator"),
    "pathways:report_pdf": Swept(kwargs=lambda w: {"pk": w.report.pk}, read_as="coordinator"),
    "pathways:report_pdf_status": Swept(
        kwargs=lambda w: {"pk": w.report.pk}, read_as="coordinator"
    ),
    "pathways:report_send": Swept(kwargs=lambda w: {"pk": w.report.pk}, methods=("POST",)),
    # --- Assessments
    "assessments:new": Swept(
        kwargs=_pathway_pk,
        methods=("GET", "POST"),
        body=lambda w: {"instrument": "distress-thermometer", "respondent": "professional"},
        read_as="coordinator",
    ),
    "assessments:link_new": Swept(
        kwargs=_pathway_pk,
        methods=("GET", "POST"),
        body=lambda w: {
            "instrument": "distress-thermometer",
            "channel": "print",
            "respondent": "patient",
        },
        read_as="coordinator",
    ),
    "assessments:fill": Swept(
        kwargs=lambda w: {"pk": w.assessment.pk},
        methods=("GET", "POST"),
        body=lambda w: {"action": "complete"},
        read_as="coordinator",
    ),
    "assessments:link_revoke": Swept(kwargs=lambda w: {"link_pk": w.link.pk}, methods=("POST",)),
    # --- Referrals
    "referrals:suggestions": Swept(kwargs=_pathway_pk, read_as="coordinator"),
    "referrals:referral_create": Swept(
        kwargs=lambda w: {"pathway_pk": w.pathway.pk, "code": "nutrition"},
        methods=("POST",),
        body=lambda w: {"service": w.dietitian.pk},
    ),
    "referrals:referral_detail": Swept(
        kwargs=lambda w: {"pk": w.referral.pk}, read_as="coordinator"
    ),
    "referrals:referral_send": Swept(kwargs=lambda w: {"pk": w.referral.pk}, methods=("POST",)),
    "referrals:referral_link_revoke": Swept(
        kwargs=lambda w: {"pk": w.referral.pk}, methods=("POST",)
    ),
    "referrals:referral_status": Swept(
        kwargs=lambda w: {"pk": w.referral.pk},
        methods=("POST",),
        body=lambda w: {"to_status": "cancelled", "reason": "Erreur"},
    ),
    "referrals:provider_referral": Swept(
        kwargs=lambda w: {"pk": w.referral.pk},
        methods=("GET", "POST"),
        body=lambda w: {"to_status": "accepted"},
        read_as="provider",
    ),
    # --- Hormone-therapy follow-up, return to work
    "adherence:plan_edit": Swept(kwargs=_pathway, methods=("GET", "POST"), read_as="coordinator"),
    # The world's pathway has no plan: every persona gets 404, the outsiders audited.
    "adherence:contact_add": Swept(kwargs=_pathway, methods=("GET", "POST")),
    "worklife:situation_edit": Swept(
        kwargs=_pathway, methods=("GET", "POST"), read_as="coordinator"
    ),
    # --- Contacts after the announcement (no patient data: read by the CPTS's professionals)
    "contacts:list": Swept(kwargs=_cpts, personas=("outsider", "regional")),
    "contacts:sheet_pdf": Swept(kwargs=_cpts, personas=("outsider", "regional")),
    "contacts:manage": Swept(kwargs=_cpts, personas=CURATORS_ONLY),
    "contacts:create": Swept(
        kwargs=_cpts, methods=("GET", "POST"), body=_contact_values, personas=CURATORS_ONLY
    ),
    "contacts:edit": Swept(
        kwargs=_announcement_contact,
        methods=("GET", "POST"),
        body=_contact_values,
        personas=CURATORS_ONLY,
    ),
    "contacts:delete": Swept(
        kwargs=_announcement_contact, methods=("POST",), personas=CURATORS_ONLY
    ),
    # --- Booklets
    "booklets:booklet": Swept(kwargs=_pathway, read_as="coordinator"),
    "booklets:print": Swept(
        kwargs=_pathway, methods=("POST",), body=lambda w: {"page_format": "a4"}
    ),
    "booklets:link_new": Swept(
        kwargs=_pathway,
        methods=("GET", "POST"),
        body=lambda w: {"channel": "print"},
        read_as="coordinator",
    ),
    "booklets:link_revoke": Swept(kwargs=_booklet_link, methods=("POST",)),
    # --- Post-cancer programme
    "aftercare:programme": Swept(kwargs=_pathway, read_as="coordinator"),
    "aftercare:prescribe": Swept(kwargs=_pathway, methods=("POST",), body=_prescription),
    "aftercare:act_done": Swept(
        kwargs=lambda w: {"pk": w.pathway.pk, "act_pk": w.act.pk},
        methods=("POST",),
        body=lambda w: {"done_on": day()},
    ),
    # Aggregates only; regional staff may read every structure's report.
    "aftercare:report": Swept(
        query=lambda w: {"structure": w.labelled_service.pk, "du": day(-365), "au": day()},
        personas=("outsider", "physician"),
    ),
    # The ARS activity file: aggregates of the structures one may report on. The
    # outsider (another CPTS's coordinator) gets his own structures only, tested in
    # aftercare/tests/test_ars_exports.py (a file, not a page the scoped sweep reads).
    "aftercare:ars_file": Swept(
        query=lambda w: {
            "semestre": last_complete(timezone.localdate()).code,
            "format": "xlsx",
        },
        personas=("physician",),
        read_as="coordinator",
    ),
    # A PDF of the ARS file asked by the coordinator: hers only, even for regional staff.
    "aftercare:ars_file_pdf": Swept(
        kwargs=_ars_file_pdf,
        personas=("outsider", "regional", "physician"),
        read_as="coordinator",
    ),
    # Distributing a regional survey and importing responses: regional staff only.
    "surveys:distribution": Swept(
        kwargs=_survey_pk, methods=("GET", "POST"), personas=SURVEY_OUTSIDERS
    ),
    "surveys:distribution_open_link": Swept(
        kwargs=_survey_pk, methods=("POST",), personas=SURVEY_OUTSIDERS
    ),
    "surveys:invitation_revoke": Swept(
        kwargs=_invitation_pk, methods=("POST",), personas=SURVEY_OUTSIDERS
    ),
    "surveys:response_import": Swept(
        kwargs=_survey_pk, methods=("GET", "POST"), personas=SURVEY_OUTSIDERS
    ),
    # Building a regional survey: regional staff only.
    "surveys:index": Swept(personas=SURVEY_OUTSIDERS),
    "surveys:create": Swept(methods=("GET", "POST"), personas=SURVEY_OUTSIDERS),
    **{
        f"surveys:{name}": Swept(kwargs=_survey_pk, methods=methods, personas=SURVEY_OUTSIDERS)
        for name, methods in (
            ("detail", ("GET",)),
            ("settings", ("GET", "POST")),
            ("open", ("POST",)),
            ("close", ("POST",)),
            ("preview", ("GET",)),
            ("header_edit", ("GET", "POST")),
            ("definition_download", ("GET",)),
            ("definition_upload", ("GET", "POST")),
            ("section_add", ("GET", "POST")),
        )
    },
    **{
        f"surveys:{name}": Swept(kwargs=kwargs, methods=methods, personas=SURVEY_OUTSIDERS)
        for name, kwargs, methods in (
            ("section_edit", _survey_section, ("GET", "POST")),
            ("section_delete", _survey_section, ("GET", "POST")),
            ("question_add", _survey_section, ("GET", "POST")),
            ("question_edit", _survey_question, ("GET", "POST")),
            ("question_delete", _survey_question, ("GET", "POST")),
        )
    },
    "surveys:section_move": Swept(
        kwargs=lambda w: _survey_section(w) | {"direction": "monter"},
        methods=("POST",),
        personas=SURVEY_OUTSIDERS,
    ),
    "surveys:question_move": Swept(
        kwargs=lambda w: _survey_question(w) | {"direction": "monter"},
        methods=("POST",),
        personas=SURVEY_OUTSIDERS,
    ),
    # Every CPTS's counts, protected: regional staff (and administrators) only.
    "indicators:regional": Swept(
        personas=("outsider", "coordinator", "physician"), read_as="regional"
    ),
    # A CPTS's exact figures: its coordination team only.
    "indicators:coverage": Swept(kwargs=_cpts, personas=CURATORS_ONLY, read_as="coordinator"),
    "indicators:dashboard": Swept(kwargs=_cpts, personas=CURATORS_ONLY, read_as="coordinator"),
    # The activity reports (PDF) of a CPTS: the same team, the same permission.
    "indicators:reports": Swept(kwargs=_cpts, personas=CURATORS_ONLY, read_as="coordinator"),
    "indicators:report_request": Swept(
        kwargs=_cpts,
        methods=("POST",),
        body=lambda w: {"periode": f"{timezone.localdate():%Y-%m}"},
        personas=CURATORS_ONLY,
    ),
    "indicators:report_download": Swept(
        kwargs=lambda w: {"slug": w.cpts.slug, "pk": w.activity_report.pk},
        personas=CURATORS_ONLY,
        read_as="coordinator",
    ),
    # --- Shared practices: a published one is public; a draft is its CPTS's writers'
    # and the regional reviewers'; review is regional staff's only.
    # --- Flyers and campaigns: their CPTS's coordinators; contact requests: its
    # coordinators and coordinating nurses.
    "outreach:material_edit": Swept(kwargs=_cpts, methods=("GET", "POST"), personas=CURATORS_ONLY),
    "outreach:campaign_detail": Swept(
        kwargs=_campaign_pk, methods=("GET", "POST"), personas=CURATORS_ONLY
    ),
    "outreach:campaign_pdf": Swept(
        kwargs=lambda w: {**_campaign_pk(w), "kind": "flyer-a5"}, personas=CURATORS_ONLY
    ),
    "outreach:contact_request": Swept(kwargs=_contact_request_pk),
    "outreach:contact_request_called_back": Swept(kwargs=_contact_request_pk, methods=("POST",)),
    "practices:detail": Swept(kwargs=_draft, personas=("outsider", "physician")),
    "practices:pdf": Swept(kwargs=_draft, personas=("outsider", "physician")),
    "practices:document": Swept(kwargs=_draft_document, personas=("outsider", "physician")),
    "practices:create": Swept(
        kwargs=_cpts, methods=("GET", "POST"), body=_practice_values, personas=CURATORS_ONLY
    ),
    "practices:edit": Swept(
        kwargs=_draft, methods=("GET", "POST"), body=_practice_values, personas=CURATORS_ONLY
    ),
    "practices:radar": Swept(
        kwargs=_draft,
        methods=("GET", "POST"),
        body=lambda w: {"delai": "3"},
        personas=CURATORS_ONLY,
    ),
    "practices:documents": Swept(kwargs=_draft, methods=("GET", "POST"), personas=CURATORS_ONLY),
    "practices:submit": Swept(kwargs=_draft, methods=("POST",), personas=CURATORS_ONLY),
    "practices:review": Swept(
        kwargs=_in_review,
        methods=("GET", "POST"),
        body=lambda w: {"decision": "publish"},
        personas=("outsider", "coordinator", "physician"),
    ),
    # --- The register of the region's CPTS (regional surveys): regional staff and
    # administrators only; it holds no patient data, so its reads are not audited.
    "surveys:registers": Swept(personas=NOT_REGIONAL_STAFF),
    "surveys:register_import": Swept(methods=("GET", "POST"), personas=NOT_REGIONAL_STAFF),
    "surveys:register_template": Swept(
        kwargs=lambda w: {"extension": "csv"}, personas=NOT_REGIONAL_STAFF
    ),
    "surveys:register_detail": Swept(kwargs=_cpts_register, personas=NOT_REGIONAL_STAFF),
    # --- Regional surveys: exact results, free text and exports for regional staff only;
    # shared results (protected) for coordinators of any CPTS; a report for its requester.
    "surveys:analysis": Swept(
        kwargs=_analysed_survey_pk, personas=SURVEY_OUTSIDERS, read_as="regional"
    ),
    "surveys:shared_index": Swept(personas=("physician",), read_as=None),
    "surveys:shared_results": Swept(
        kwargs=_analysed_survey_pk, personas=("physician",), read_as="coordinator"
    ),
    "surveys:export_responses": Swept(
        kwargs=_analysed_survey_pk,
        query=lambda w: {"format": "csv"},
        personas=SURVEY_OUTSIDERS,
        read_as="regional",
    ),
    "surveys:export_tables": Swept(
        kwargs=_analysed_survey_pk,
        query=lambda w: {"format": "csv"},
        personas=SURVEY_OUTSIDERS,
        read_as="regional",
    ),
    "surveys:export_crosstab": Swept(
        kwargs=_analysed_survey_pk,
        query=lambda w: {"format": "csv", "croiser": "connait_sos", "par": "taille"},
        personas=SURVEY_OUTSIDERS,
        read_as="regional",
    ),
    "surveys:report_request": Swept(
        kwargs=_analysed_survey_pk, methods=("POST",), personas=SURVEY_OUTSIDERS
    ),
    "surveys:report_download": Swept(
        kwargs=_survey_report,
        personas=SURVEY_OUTSIDERS,
        read_as="regional",
    ),
    "surveys:coding": Swept(
        kwargs=_analysed_survey_pk, personas=SURVEY_OUTSIDERS, read_as="regional"
    ),
    "surveys:coding_question": Swept(
        kwargs=lambda w: {"pk": _analysed_survey(w).pk, "key": "attentes"},
        personas=SURVEY_OUTSIDERS,
        read_as="regional",
    ),
    # --- FHIR reads of patient data
    "fhir:servicerequest": Swept(
        kwargs=lambda w: {"resource_id": str(w.referral.pk)}, read_as="coordinator"
    ),
    "fhir:task": Swept(kwargs=lambda w: {"resource_id": str(w.referral.pk)}, read_as="coordinator"),
    "fhir:questionnaireresponse": Swept(
        kwargs=lambda w: {"resource_id": str(w.assessment.pk)}, read_as="coordinator"
    ),
    # --- API
    ("POST", "/api/v1/pathways/"): Swept(
        personas=API_OUTSIDERS,
        body=lambda w: {
            "cpts": w.cpts.slug,
            "patient": {
                "last_name": "Nouvelle",
                "first_name": "Patiente",
                "birth_date": "1960-01-01",
                "sex": "F",
                "commune": ESPALION,
            },
            "intake_channel": "phone_line",
            "first_contact_on": day(),
        },
    ),
    ("GET", "/api/v1/pathways/{pathway_id}"): Swept(kwargs=_api_pathway, read_as="coordinator"),
    ("PATCH", "/api/v1/pathways/{pathway_id}"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, body=lambda w: {"cancer_site": "breast"}
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/status"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, body=lambda w: {"to_status": "included"}
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/consent"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_pathway,
        body=lambda w: {"informed_on": day(), "objects_to_sharing": True},
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/care-team"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_pathway,
        body=lambda w: {"role": "pharmacist", "name": "Pharmacie du Lot"},
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/treatments"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, body=lambda w: {"kind": "surgery"}
    ),
    ("GET", "/api/v1/pathways/{pathway_id}/visits"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/visits"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_pathway,
        body=lambda w: {"kind": "phone", "occurred_at": _now()},
    ),
    ("GET", "/api/v1/pathways/{pathway_id}/records"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    ("POST", "/api/v1/pathways/{pathway_id}/records"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, body=lambda w: {"temperature_c": "39.5"}
    ),
    ("GET", "/api/v1/pathways/{pathway_id}/timeline"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    # The outsider has a worklist of his own (see SCOPED), and so has the physician
    # (the pathways of his care teams); regional staff have none.
    ("GET", "/api/v1/pathways/alerts"): Swept(personas=("regional",)),
    ("POST", "/api/v1/pathways/alerts/{alert_id}/acknowledge"): Swept(
        personas=API_OUTSIDERS,
        kwargs=lambda w: {"alert_id": w.alert.pk},
        body=lambda w: {"comment": "Vu"},
    ),
    ("POST", "/api/v1/pathways/alerts/{alert_id}/comments"): Swept(
        personas=API_OUTSIDERS,
        kwargs=lambda w: {"alert_id": w.alert.pk},
        body=lambda w: {"text": "Appel à l'hôpital de jour"},
    ),
    ("GET", "/api/v1/referrals/pathways/{pathway_id}"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    ("POST", "/api/v1/referrals/pathways/{pathway_id}"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_pathway,
        body=lambda w: {"care_type": "nutrition", "service": w.dietitian.pk},
    ),
    ("GET", "/api/v1/referrals/{referral_id}"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_referral, read_as="coordinator"
    ),
    ("POST", "/api/v1/referrals/{referral_id}/transition"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_referral,
        body=lambda w: {"to_status": "cancelled", "reason": "Erreur"},
    ),
    ("GET", "/api/v1/aftercare/pathways/{pathway_id}/programme"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    ("POST", "/api/v1/aftercare/pathways/{pathway_id}/programme"): Swept(
        personas=API_OUTSIDERS,
        kwargs=_api_pathway,
        body=lambda w: {
            "prescriber_role": "gp",
            "prescriber_name": "Dr Paul Costes",
            "prescribed_on": day(-10),
            "service_id": w.labelled_service.pk,
            "physical_activity_assessment": True,
        },
    ),
    ("GET", "/api/v1/aftercare/pathways/{pathway_id}/programme/allowance"): Swept(
        personas=API_OUTSIDERS, kwargs=_api_pathway, read_as="coordinator"
    ),
    ("POST", "/api/v1/aftercare/pathways/{pathway_id}/programme/acts/{act_id}/done"): Swept(
        personas=API_OUTSIDERS,
        kwargs=lambda w: {"pathway_id": w.pathway.pk, "act_id": w.act.pk},
        body=lambda w: {"done_on": day()},
    ),
}

SCOPED: dict[str | tuple[str, str], Scoped] = {
    # The calendar of the professionals: another CPTS's private events never show.
    "calendar:professional": Scoped(
        kwargs=_with_private_event,
        shown_to="coordinator",
        marker=lambda w: PRIVATE_EVENT_TITLE,
    ),
    # The campaigns of one's own CPTS: never another's.
    "outreach:campaign_list": Scoped(
        kwargs=lambda w: (_campaign(w), {})[1],
        shown_to="coordinator",
        marker=lambda w: "radiologie (routes)",
    ),
    # The practices one writes or reviews: never another CPTS's drafts.
    "practices:manage": Scoped(
        kwargs=_with_draft,
        shown_to="coordinator",
        marker=lambda w: _practice(w).title,
    ),
    # The CPTS whose indicators one may see: never another's.
    "indicators:home": Scoped(
        shown_to="coordinator", marker=lambda w: f"/indicateurs/{w.cpts.slug}/"
    ),
    "pathways:worklist": Scoped(shown_to="coordinator"),
    "pathways:pathway_list": Scoped(shown_to="coordinator"),
    "pathways:intake": Scoped(),
    # Calls hold no identity: the Nord Aveyron call shows by its commune.
    "pathways:intake_calls": Scoped(shown_to="coordinator", marker=lambda w: "Espalion (12)"),
    "referrals:provider_inbox": Scoped(
        shown_to="provider",
        marker=lambda w: reverse("referrals:provider_referral", kwargs={"pk": w.referral.pk}),
    ),
    ("GET", "/api/v1/pathways/"): Scoped(shown_to="coordinator"),
    ("GET", "/api/v1/pathways/alerts"): Scoped(shown_to="coordinator"),
}
