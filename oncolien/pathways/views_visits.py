"""Visits, monitoring sheets and acknowledging an alert.

A monitoring sheet is checked field by field (`pathways.monitoring`) and refused
whole when a value is impossible; the alerts it raises are announced at once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oncolien.idempotency import services as idempotency
from oncolien.pathways import selectors, services
from oncolien.pathways.forms import AcknowledgeForm, AlertCommentForm, MonitoringForm, VisitForm
from oncolien.pathways.models import Alert
from oncolien.pathways.selectors import alert_notice
from oncolien.pathways.views_pathway import _render as render_pathway
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404

RECENT_VISITS_TO_LINK = 10


def _detail_url(pathway, anchor: str = "") -> str:
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
def visit_add(request, pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with denied_as_404():
                services.visit_add(actor=request.user, pathway=pathway, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Visite enregistrée.")
            return redirect(_detail_url(pathway, "visites"))
    return render(
        request,
        "pathways/visit_form.html",
        {"pathway": pathway, "patient": pathway.patient, "form": form},
        status=400 if form.errors else 200,
    )


ONCE_FIELD = "form_token"  # noqa: S105 - a field name, not a secret
ALREADY_SAVED = (
    "Cette fiche de surveillance était déjà enregistrée : le formulaire envoyé une seconde "
    "fois n'a rien ajouté."
)


@login_required
def record_add(request, pk: int):
    """The monitoring sheet. Its form carries a one-time token: sent twice (double
    click, back button, a retry), it is saved once and the second sending leads to
    the sheets of the pathway."""
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    # The sheet may be tied to one of the latest visits of this (authorised) pathway.
    visits = pathway.visits.all()[:RECENT_VISITS_TO_LINK]
    form = MonitoringForm(request.POST or None, visits=visits)
    token = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            claim = idempotency.form_submission_begin(
                user=request.user, token=token, form=request.path
            )
        except ValidationError as error:
            form.is_valid()
            for messages_of_field in error.message_dict.values():
                for message in messages_of_field:
                    form.add_error(None, message)
            token = ""
        else:
            if isinstance(claim, idempotency.Replay):
                messages.info(request, ALREADY_SAVED)
                return redirect(claim.body.decode())
            response = _record_save(request, pathway, form)
            if response is None:
                idempotency.abandon(claim)
            else:
                idempotency.finish(
                    claim, status_code=302, content_type="", body=response["Location"].encode()
                )
                return response
    return render(
        request,
        "pathways/record_form.html",
        {
            "pathway": pathway,
            "patient": pathway.patient,
            "form": form,
            "form_token": token or idempotency.form_token_new(),
        },
        status=400 if form.errors else 200,
    )


def _record_save(request, pathway, form):
    """The redirection after a saved sheet, or None with the errors on `form`."""
    if not form.is_valid():
        return None
    try:
        with denied_as_404():
            record = services.monitoring_record_add(
                actor=request.user,
                pathway=pathway,
                values=form.values(),
                recorded_at=form.cleaned_data["recorded_at"],
                visit=form.cleaned_data["visit"],
            )
    except ValidationError as error:
        show_errors(form, error)
        return None
    messages.success(request, "Fiche de surveillance enregistrée.")
    alerts = list(record.alerts.all())
    for alert in alerts:
        # What really happened: who was notified, by which channel, or nobody.
        messages.warning(request, alert_notice(alert))
    # The page opens at its top, where the alerts raised and what to do are shown.
    url = _detail_url(pathway)
    return redirect(f"{url}?fiche={record.pk}" if alerts else url)


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _alert_for(request, alert_pk: int):
    """The alert and its pathway. Only the pathway's number is read here; the pathway
    itself, and so the alert, are reached through `pathway_for`, which authorises and
    audits."""
    pathway_id = Alert.objects.filter(pk=alert_pk).values_list("pathway_id", flat=True).first()
    if pathway_id is None:
        raise Http404("Alerte introuvable.")
    pathway = selectors.pathway_for(user=request.user, pk=pathway_id)
    return pathway, pathway.alerts.get(pk=alert_pk)


@login_required
@require_POST
def alert_acknowledge(request, alert_pk: int):
    pathway, alert = _alert_for(request, alert_pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            with denied_as_404():
                services.alert_acknowledge(
                    actor=request.user, alert=alert, comment=form.cleaned_data["comment"]
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Alerte prise en compte.")
            return redirect(_next_or(request, _detail_url(pathway, "alertes")))
    return render_pathway(
        request, pathway.pk, status=400, acknowledge_form=form, bound_alert=alert.pk
    )


@login_required
@require_POST
def alert_comment(request, alert_pk: int):
    """What someone on the care team did about an alert; the alert stays open."""
    pathway, alert = _alert_for(request, alert_pk)
    form = AlertCommentForm(request.POST)
    if form.is_valid():
        try:
            with denied_as_404():
                services.alert_comment_add(
                    actor=request.user, alert=alert, text=form.cleaned_data["text"]
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, "Commentaire ajouté : l'alerte reste ouverte pour sa prise en compte."
            )
            return redirect(_next_or(request, _detail_url(pathway, f"alerte-{alert.pk}")))
    return render_pathway(request, pathway.pk, status=400, comment_form=form, bound_alert=alert.pk)
