"""The pathways JSON API: the same operations as the pages, under the same rules.

Each endpoint only translates HTTP to the domain: a pathway is always obtained
through `selectors.pathway_for` (authorised and audited; 404 for anyone who may
not see it), and every change goes through `services` (authorised, validated,
atomic, audited). A `ValidationError` of the domain becomes a 422 listing the
French message of each field.
"""

from datetime import date
from typing import Annotated

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.security import django_auth
from pydantic import Field

from oncolien.api_errors import INVALID, Coded, ErrorOut, RequestInvalid
from oncolien.pagination import PageOut, PageParams, envelope, page_of
from oncolien.pathways import edit_conflicts, selectors, services
from oncolien.pathways import schemas as s
from oncolien.pathways.models import Alert, IntakeOutcome, Patient, Phase, Severity
from oncolien.pathways.phases import current_phase
from oncolien.pathways.statuses import PathwayStatus
from oncolien.reference.models import CareType
from oncolien.territories.models import Commune, Cpts

router = Router(tags=["parcours"], auth=django_auth)


# --- Pathways --------------------------------------------------------------------


def _detail(pathway) -> dict:
    prefetch_related_objects([pathway], "care_team__user", "treatments")
    phase = current_phase(pathway, today=timezone.localdate())
    consent = pathway.consents.select_related("recorded_by").first()
    return s.pathway_out(
        pathway,
        phase=phase,
        phase_label=Phase(phase).label,
        consent=consent,
        sharing=selectors.sharing_allowed(pathway),
    )


class ListFilters(PageParams):
    search: str = Field("", max_length=200, description="Mots du nom ou du prénom.")
    status: Annotated[str, Coded(PathwayStatus, blank=True)] = ""
    cpts: str = Field("", max_length=100, description="Identifiant (slug) de la CPTS.")
    first_contact_from: date | None = Field(None, description="Premier contact ce jour ou après.")
    first_contact_to: date | None = Field(None, description="Premier contact ce jour ou avant.")
    alert_severity: Annotated[str, Coded(Severity, blank=True)] = Field(
        "", description="Seulement les parcours ayant une alerte ouverte de cette gravité."
    )
    phase: Annotated[str, Coded(Phase, blank=True)] = Field(
        "", description="Seulement les parcours dans cette phase aujourd'hui (choisie ou calculée)."
    )


@router.get("/", response={200: PageOut[s.PathwaySummaryOut], 422: ErrorOut})
def pathway_list(request, filters: Query[ListFilters]):
    """Les parcours que l'on peut voir, par nom, filtrés (nom, statut, CPTS, dates du premier
    contact, gravité d'une alerte ouverte, phase), par pages. Une page qui n'existe pas : 422."""
    if (
        filters.first_contact_from
        and filters.first_contact_to
        and filters.first_contact_to < filters.first_contact_from
    ):
        raise ValidationError({"first_contact_to": "La fin de la période précède son début."})
    shown = selectors.pathway_page_for(
        user=request.user,
        filters=selectors.PathwayFilters(
            search=filters.search,
            status=filters.status,
            cpts=filters.cpts,
            first_contact_from=filters.first_contact_from,
            first_contact_to=filters.first_contact_to,
            alert_severity=filters.alert_severity,
            phase=filters.phase,
        ),
        page=filters.page,
        per_page=filters.page_size,
    )
    return envelope(request, shown, [s.pathway_summary_out(p) for p in shown.items])


PATIENT_FIELDS = {f.name: f"patient.{f.name}" for f in Patient._meta.get_fields()}


@router.post("/", response={201: s.PathwayOut, 422: ErrorOut})
def pathway_create(request, payload: s.IntakeIn):
    """Appel d'inclusion : le patient, le parcours (premier contact) et son information.

    Une commune hors du territoire est refusée (422) avec un message nommant la
    CPTS qui la couvre, sauf inclusion motivée par un·e coordinateur·rice.
    """
    cpts = Cpts.objects.filter(slug=payload.cpts).first()
    if cpts is None:
        raise ValidationError({"cpts": "Aucune CPTS ne porte cet identifiant."})
    commune = Commune.objects.filter(insee_code=payload.patient.commune).first()
    if commune is None:
        raise ValidationError(
            {
                "patient.commune": f"Aucune commune ne porte le code INSEE « {payload.patient.commune} »."
            }
        )
    try:
        pathway = services.intake_create(
            actor=request.user,
            cpts=cpts,
            patient={**payload.patient.model_dump(), "commune": commune},
            intake_channel=payload.intake_channel,
            first_contact_on=payload.first_contact_on,
            referrer=payload.referrer,
            informed_on=payload.informed_on,
            objects_to_sharing=payload.objects_to_sharing,
            out_of_territory_reason=payload.out_of_territory_reason,
        )
    except ValidationError as error:
        # The eligibility message (naming the covering CPTS) is the answer itself.
        eligibility = getattr(error, "error_dict", {}).get("commune")
        detail = eligibility[0].messages[0] if eligibility else INVALID
        if eligibility and not services.eligibility_for(cpts=cpts, commune=commune).in_territory:
            # A call from outside the territory is still a call: counted, with no identity,
            # as the intake page does.
            services.intake_call_record(
                actor=request.user,
                cpts=cpts,
                channel=payload.intake_channel,
                commune=commune,
                outcome=IntakeOutcome.OUT_OF_TERRITORY,
            )
        raise RequestInvalid(error, fields=PATIENT_FIELDS, detail=detail) from None
    pathway = selectors.pathway_for(user=request.user, pk=pathway.pk)
    return Status(201, _detail(pathway))


@router.get("/{int:pathway_id}", response=s.PathwayOut)
def pathway_detail(request, pathway_id: int, response: HttpResponse):
    """Un parcours : patient, statut, phase, cancer, équipe de soins, traitements, information.

    L'en-tête `ETag` porte sa version, à renvoyer dans `If-Match` pour le modifier."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    response["ETag"] = edit_conflicts.etag(pathway)
    return _detail(pathway)


def _conflict(status: int, conflict: edit_conflicts.PathwayEditConflict) -> Status:
    current = conflict.pathway
    detail = (
        f"Pendant votre modification, {conflict.authors_label} a changé ce parcours : rien "
        f"n'a été enregistré. Vous partiez de la version {conflict.expected_version}, la "
        f"version actuelle est la {current.version} ; relisez-la puis renvoyez vos modifications."
    )
    errors = []
    for name in conflict.since.fields:
        label, shown = edit_conflicts.stored_value_label(current, name)
        errors.append(
            {"field": name, "message": f"{label} : maintenant « {shown} »", "type": "conflict"}
        )
    return Status(status, {"detail": detail, "errors": errors})


@router.patch(
    "/{int:pathway_id}",
    response={200: s.PathwayOut, 409: ErrorOut, 412: ErrorOut, 422: ErrorOut},
)
def pathway_patch(request, pathway_id: int, payload: s.PathwayPatchIn, response: HttpResponse):
    """Modifier le cancer, les dates, la phase choisie, les références PPS/PPAC/DCC.

    Envoyez la version lue, dans l'en-tête `If-Match` (la valeur de l'`ETag`) ou le champ
    `version` : si le parcours a été modifié depuis, rien n'est enregistré et la réponse
    (412 avec `If-Match`, 409 sinon) dit qui a changé quels champs."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    if_match = request.headers.get("If-Match")
    expected, status = payload.version, 409
    if if_match is not None:
        try:
            expected = edit_conflicts.version_from_if_match(if_match)
        except ValueError:
            return Status(
                412,
                {
                    "detail": "En-tête If-Match illisible : renvoyez la valeur de l'ETag "
                    'du parcours (par exemple "v3").',
                    "errors": [],
                },
            )
        status = 412
    try:
        services.pathway_update(
            actor=request.user, pathway=pathway, expected_version=expected, **payload.changes()
        )
    except edit_conflicts.PathwayEditConflict as conflict:
        return _conflict(status, conflict)
    response["ETag"] = edit_conflicts.etag(pathway)
    return _detail(pathway)


@router.post("/{int:pathway_id}/status", response={200: s.PathwayOut, 422: ErrorOut})
def pathway_status(request, pathway_id: int, payload: s.StatusIn):
    """Changer le statut (inclusion, suivi, clôture avec son motif)."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    services.status_change(actor=request.user, pathway=pathway, **payload.model_dump())
    return _detail(pathway)


@router.post("/{int:pathway_id}/consent", response={201: s.ConsentOut, 422: ErrorOut})
def pathway_consent(request, pathway_id: int, payload: s.ConsentIn):
    """Enregistrer l'information du patient et son éventuelle opposition au partage."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    consent = services.consent_record(actor=request.user, pathway=pathway, **payload.model_dump())
    return Status(201, s.consent_out(consent))


@router.post("/{int:pathway_id}/care-team", response={201: s.CareTeamMemberOut, 422: ErrorOut})
def pathway_care_team_add(request, pathway_id: int, payload: s.CareTeamIn):
    """Ajouter un membre à l'équipe de soins : un compte OncoLien ou un contact externe."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    values = payload.model_dump(exclude={"username"})
    if payload.username:
        user = get_user_model().objects.filter(username=payload.username).first()
        if user is None:
            # The same answer as for an account of another CPTS: the API does not
            # tell which logins exist elsewhere.
            raise ValidationError({"username": "Ce compte n'appartient pas à la CPTS du parcours."})
        values["user"] = user
    try:
        member = services.care_team_add(actor=request.user, pathway=pathway, **values)
    except ValidationError as error:
        raise RequestInvalid(error, fields={"user": "username"}) from None
    return Status(201, s.care_team_member_out(member))


@router.post("/{int:pathway_id}/treatments", response={201: s.TreatmentOut, 422: ErrorOut})
def pathway_treatment_add(request, pathway_id: int, payload: s.TreatmentIn):
    """Ajouter un traitement (chirurgie, chimiothérapie…) avec ses dates."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    treatment = services.treatment_add(actor=request.user, pathway=pathway, **payload.model_dump())
    return Status(201, s.treatment_out(treatment))


# --- Visits and monitoring sheets ------------------------------------------------


@router.get("/{int:pathway_id}/visits", response={200: PageOut[s.VisitOut], 422: ErrorOut})
def visit_list(request, pathway_id: int, paging: Query[PageParams]):
    """Les visites et suivis téléphoniques du parcours, les plus récents d'abord, par pages."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    visits = pathway.visits.select_related("author").prefetch_related("needs_discussed")
    shown = page_of(visits.order_by("-occurred_at", "-pk"), paging.page, paging.page_size)
    return envelope(request, shown, [s.visit_out(v) for v in shown.items])


@router.post("/{int:pathway_id}/visits", response={201: s.VisitOut, 422: ErrorOut})
def visit_create(request, pathway_id: int, payload: s.VisitIn):
    """Enregistrer une visite à domicile, un suivi téléphonique ou une consultation."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    codes = set(payload.needs_discussed)
    needs = list(CareType.objects.filter(code__in=codes))
    unknown = codes - {c.code for c in needs}
    if unknown:
        raise ValidationError(
            {"needs_discussed": f"Soin(s) de support inconnu(s) : {', '.join(sorted(unknown))}."}
        )
    visit = services.visit_add(
        actor=request.user,
        pathway=pathway,
        needs_discussed=needs,
        **payload.model_dump(exclude={"needs_discussed"}),
    )
    return Status(201, s.visit_out(visit))


@router.get("/{int:pathway_id}/records", response={200: PageOut[s.RecordOut], 422: ErrorOut})
def record_list(request, pathway_id: int, paging: Query[PageParams]):
    """Les fiches de surveillance, les plus récentes d'abord, par pages (20 par défaut)."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    records = pathway.records.select_related("author").prefetch_related("alerts__acknowledged_by")
    shown = page_of(records.order_by("-recorded_at", "-pk"), paging.page, paging.page_size)
    return envelope(request, shown, [s.record_out(r) for r in shown.items])


@router.post("/{int:pathway_id}/records", response={201: s.RecordCreatedOut, 422: ErrorOut})
def record_create(request, pathway_id: int, payload: s.RecordIn):
    """Enregistrer une fiche de surveillance ; les alertes levées sont renvoyées avec elle.

    Une valeur hors des bornes plausibles est refusée (422) et rien n'est enregistré.
    """
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    visit = None
    if payload.visit_id is not None:
        visit = pathway.visits.filter(pk=payload.visit_id).first()
        if visit is None:
            raise ValidationError({"visit_id": "Cette visite n'existe pas dans ce parcours."})
    record = services.monitoring_record_add(
        actor=request.user,
        pathway=pathway,
        values=payload.values(),
        recorded_at=payload.recorded_at,
        visit=visit,
    )
    prefetch_related_objects([record], "author", "alerts__acknowledged_by")
    shaped = s.record_out(record)
    return Status(201, {"record": shaped, "alerts": shaped["alerts"]})


@router.get(
    "/{int:pathway_id}/timeline", response={200: PageOut[s.TimelineEventOut], 422: ErrorOut}
)
def timeline(request, pathway_id: int, paging: Query[PageParams]):
    """La chronologie du parcours (inclusion, visites, fiches, alertes, comptes-rendus,
    statuts), la plus récente d'abord, par pages."""
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    shown = page_of(selectors.timeline_for(pathway), paging.page, paging.page_size)
    return envelope(request, shown, [vars(event) for event in shown.items])


# --- Alerts --------------------------------------------------------------------


class WorklistPaging(PageParams):
    page_size: int = Field(
        selectors.ALERTS_PER_PAGE,
        ge=1,
        le=selectors.ALERTS_PER_PAGE,
        description="Alertes par page.",
    )


@router.get("/alerts", response={200: s.WorklistOut, 422: ErrorOut})
def worklist(request, paging: Query[WorklistPaging]):
    """Ma liste de travail : alertes ouvertes (les plus graves et anciennes d'abord, par pages
    de 100, avec leur nombre total) et parcours actifs. Une page qui n'existe pas : 422."""
    work = selectors.worklist_for(user=request.user, page=paging.page, per_page=paging.page_size)
    return {
        **envelope(request, work.alerts, [s.worklist_alert_out(a) for a in work.open_alerts]),
        "escalated_count": work.escalated_count,
        "pathways_count": work.pathways_count,
        "escalated_alerts": [s.worklist_alert_out(a) for a in work.escalated_alerts],
        "pathways": [s.pathway_summary_out(p) for p in work.pathways],
    }


@router.post("/alerts/{int:alert_id}/acknowledge", response={200: s.AlertOut, 422: ErrorOut})
def alert_acknowledge(request, alert_id: int, payload: s.AcknowledgeIn):
    """Prendre en compte une alerte ; un commentaire est obligatoire."""
    # Only the pathway's id is read here: the alert itself is read through its
    # pathway once `pathway_for` has authorised and audited the access.
    pathway_id = Alert.objects.filter(pk=alert_id).values_list("pathway_id", flat=True).first()
    if pathway_id is None:
        raise Http404("Alerte introuvable.")
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    alert = pathway.alerts.get(pk=alert_id)
    alert = services.alert_acknowledge(actor=request.user, alert=alert, comment=payload.comment)
    return s.alert_out(alert)


@router.post("/alerts/{int:alert_id}/comments", response={201: s.AlertCommentOut, 422: ErrorOut})
def alert_comment(request, alert_id: int, payload: s.AlertCommentIn):
    """Dire ce que l'on a fait pour une alerte (« appel à l'hôpital de jour à 10 h ») ;
    l'alerte reste ouverte pour sa prise en compte par la personne responsable."""
    pathway_id = Alert.objects.filter(pk=alert_id).values_list("pathway_id", flat=True).first()
    if pathway_id is None:
        raise Http404("Alerte introuvable.")
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    alert = pathway.alerts.get(pk=alert_id)
    comment = services.alert_comment_add(actor=request.user, alert=alert, text=payload.text)
    return Status(
        201,
        {
            "id": comment.pk,
            "alert_id": alert.pk,
            "author": s.person(request.user),
            "created_at": comment.created_at,
            "text": comment.text,
        },
    )
