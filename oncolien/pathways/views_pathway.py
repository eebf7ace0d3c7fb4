"""The pathway page and the forms it carries (status, cancer and dates, treatments,
information and objection, care team). Each form posts to its own address; on an
error the page is shown again with the form's French messages and nothing saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oncolien.accounts.models import User
from oncolien.pagination import PageOutOfRange, page_number
from oncolien.pathways import extensions, phases, protocol, selectors, services, statuses
from oncolien.pathways.edit_conflicts import PathwayEditConflict
from oncolien.pathways.forms import (
    AcknowledgeForm,
    AlertCommentForm,
    CareTeamContactForm,
    CareTeamUserForm,
    ConsentForm,
    PathwayDetailsForm,
    StatusForm,
    TreatmentForm,
)
from oncolien.pathways.views import pathway_page_for, sheet_table
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404


def _status_choices(pathway) -> list[tuple[str, str]]:
    return statuses.allowed_moves(pathway.status)


def _cpts_users(pathway) -> list[User]:
    """Accounts of the pathway's CPTS not yet on its care team (no patient data here)."""
    on_team = pathway.care_team.filter(active=True, user__isnull=False).values("user_id")
    users = (
        User.objects.filter(memberships__cpts_id=pathway.cpts_id, is_active=True)
        .exclude(pk__in=on_team)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return list(users)


def _details_initial(pathway) -> dict:
    return {name: getattr(pathway, name) for name in PathwayDetailsForm.base_fields}


def _page_param(request, name: str) -> int:
    """A page number from the query string; an unreadable one is page 0, said not to exist."""
    try:
        return page_number(request.GET.get(name))
    except PageOutOfRange:
        return 0


def _render(request, pk: int, *, status: int = 200, **bound):
    """The pathway page; `bound` holds a submitted form with errors to show as is."""
    page = pathway_page_for(
        user=request.user,
        pk=pk,
        timeline_page=_page_param(request, "historique"),
        sheets_page=_page_param(request, "fiches"),
    )
    pathway = page.pathway
    forms = {
        "status_form": StatusForm(allowed=_status_choices(pathway)),
        "details_form": PathwayDetailsForm(initial=_details_initial(pathway)),
        "treatment_form": TreatmentForm(),
        "consent_form": ConsentForm(initial={"informed_on": timezone.localdate()}),
        "team_user_form": CareTeamUserForm(users=_cpts_users(pathway)),
        "team_contact_form": CareTeamContactForm(),
        "acknowledge_form": AcknowledgeForm(),
        "comment_form": AlertCommentForm(),
    }
    forms.update(bound)
    open_alerts = pathway.open_alerts  # type: ignore[attr-defined]  # set by its Prefetch
    return render(
        request,
        "pathways/pathway_detail.html",
        {
            "pathway": pathway,
            "patient": pathway.patient,
            "phase": phases.current_phase(pathway, today=timezone.localdate()),
            "sharing_allowed": selectors.sharing_allowed(pathway),
            "timeline": page.timeline,
            "timeline_error": page.timeline_error,
            "sheets": page.sheets,
            "sheets_error": page.sheets_error,
            "sheet_rows": sheet_table(page.sheets.items if page.sheets else []),
            "bound_alert": bound.get("bound_alert"),
            "panels": extensions.panels_for(request.user, pathway),
            "acknowledgeable": selectors.acknowledgeable_among(
                user=request.user, alerts=open_alerts
            ),
            "raised": _raised_by_sheet(request, pathway),
            # What to do, beside each open alert: the responsible nurse reads the same
            # instruction as the nurse who raised it.
            "open_alert_rows": _with_instructions(pathway, open_alerts),
            **forms,
        },
        status=status,
    )


def _with_instructions(pathway, alerts) -> list:
    if not alerts:
        return []
    instructions = protocol.instructions_for(pathway.cpts_id)
    return [(alert, instructions.get(alert.rule)) for alert in alerts]


def _raised_by_sheet(request, pathway) -> dict | None:
    """The alerts the sheet just saved raised, each with what to do and the care team's
    numbers, shown at the top of the page (`?fiche=<id>` after saving a sheet)."""
    raw = request.GET.get("fiche", "")
    if not raw.isdigit():
        return None
    record = pathway.records.filter(pk=int(raw)).first()
    if record is None:
        return None
    instructions = protocol.instructions_for(pathway.cpts_id)
    alerts = list(record.alerts.all())
    return {
        "record": record,
        "items": [(alert, instructions.get(alert.rule)) for alert in alerts],
        "contacts": protocol.contacts_for(pathway),
    }


@login_required
def pathway_detail(request, pk: int):
    return _render(request, pk)


def _saved(request, pk: int, message: str, anchor: str):
    messages.success(request, message)
    return redirect(f"{reverse('pathways:pathway_detail', kwargs={'pk': pk})}#{anchor}")


def _post(request, pathway, form, form_name: str, save, message: str, anchor: str):
    """Validate `form`, call `save(pathway, data)` (a service), or show the errors."""
    pk = pathway.pk
    if form.is_valid():
        try:
            with denied_as_404():
                save(pathway, form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _saved(request, pk, message, anchor)
    return _render(request, pk, status=400, **{form_name: form})


@login_required
@require_POST
def status_update(request, pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    form = StatusForm(request.POST, allowed=_status_choices(pathway))
    return _post(
        request,
        pathway,
        form,
        "status_form",
        lambda p, d: services.status_change(
            actor=request.user,
            pathway=p,
            to_status=d["to_status"],
            closing_reason=d["closing_reason"],
            note=d["note"],
        ),
        "Statut du parcours mis à jour.",
        "statut",
    )


@login_required
@require_POST
def details_update(request, pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    form = PathwayDetailsForm(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            with denied_as_404():
                services.pathway_update(
                    actor=request.user, pathway=pathway, expected_version=version, **values
                )
        except PathwayEditConflict as conflict:
            return _details_conflict(request, form, conflict)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _saved(request, pk, "Informations du parcours enregistrées.", "cancer")
    return _render(request, pk, status=400, details_form=form)


def _details_conflict(request, form: PathwayDetailsForm, conflict: PathwayEditConflict):
    """The page again, nothing saved: what the other editor changed, field by field, and
    the editor's own input kept in the form, now based on the current version so that
    saving it again is a deliberate choice."""
    current = conflict.pathway
    rows = form.conflict_rows(fields=conflict.since.fields, pathway=current)
    data = request.POST.copy()
    data["version"] = str(current.version)
    for name in form.fields:
        if name != "version":
            value = getattr(current, name)
            data[form.add_initial_prefix(name)] = "" if value is None else str(value)
    return _render(
        request,
        current.pk,
        status=409,
        details_form=PathwayDetailsForm(data),
        details_conflict={"authors": conflict.authors_label, "rows": rows},
    )


@login_required
@require_POST
def treatment_add(request, pk: int):
    return _post(
        request,
        selectors.pathway_for(user=request.user, pk=pk),
        TreatmentForm(request.POST),
        "treatment_form",
        lambda p, d: services.treatment_add(actor=request.user, pathway=p, **d),
        "Traitement ajouté.",
        "traitements",
    )


@login_required
@require_POST
def consent_add(request, pk: int):
    return _post(
        request,
        selectors.pathway_for(user=request.user, pk=pk),
        ConsentForm(request.POST),
        "consent_form",
        lambda p, d: services.consent_record(actor=request.user, pathway=p, **d),
        "Information du patient enregistrée.",
        "information",
    )


@login_required
@require_POST
def team_user_add(request, pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    form = CareTeamUserForm(request.POST, users=_cpts_users(pathway))
    return _post(
        request,
        pathway,
        form,
        "team_user_form",
        lambda p, d: services.care_team_add(
            actor=request.user, pathway=p, role=d["role"], user=d["user"]
        ),
        "Membre ajouté à l'équipe de soins.",
        "equipe",
    )


@login_required
@require_POST
def team_contact_add(request, pk: int):
    return _post(
        request,
        selectors.pathway_for(user=request.user, pk=pk),
        CareTeamContactForm(request.POST),
        "team_contact_form",
        lambda p, d: services.care_team_add(actor=request.user, pathway=p, **d),
        "Contact ajouté à l'équipe de soins.",
        "equipe",
    )


@login_required
@require_POST
def team_remove(request, pk: int, member_pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    member = pathway.care_team.filter(pk=member_pk, active=True).first()
    if member is None:
        raise Http404("Membre introuvable.")
    with denied_as_404():
        services.care_team_remove(actor=request.user, member=member)
    return _saved(request, pk, f"{member.name} a été retiré·e de l'équipe de soins.", "equipe")
