"""The distribution page of a survey (regional staff): personal links to CPTS
contacts, by form or by table, the open link, and per invitation what became of it
(the delivery's recorded status, the reminders, the response)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oncolien.surveys import invitations
from oncolien.surveys.access import SURVEYS_MANAGE
from oncolien.surveys.forms_distribution import ContactForm, ContactsTableForm
from oncolien.surveys.invitations import Contact
from oncolien.surveys.models import Invitation, Survey
from oncolien.surveys.schedule import closed_reason
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, user_of


def _survey(request: HttpRequest, pk: int) -> Survey:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    return get_object_or_404(Survey.objects.select_related("register"), pk=pk)


def _sent_message(request: HttpRequest, sent: list) -> None:
    # The page repeats the deliveries' recorded outcome, never more than that.
    outcomes: dict[str, int] = {}
    for _, delivery in sent:
        outcomes[delivery.outcome] = outcomes.get(delivery.outcome, 0) + 1
    count = len(sent)
    sentence = f"{count} invitation{'s' if count > 1 else ''} créée{'s' if count > 1 else ''}."
    if outcomes.get("sent"):
        sentence += f" Courriel envoyé : {outcomes['sent']}."
    if outcomes.get("pending"):
        sentence += f" En attente d'envoi : {outcomes['pending']} (l'état s'affiche ci-dessous)."
    if outcomes.get("failed") or outcomes.get("not_sent"):
        failed = outcomes.get("failed", 0) + outcomes.get("not_sent", 0)
        messages.warning(request, f"{sentence} Échec d'envoi : {failed} (voir ci-dessous).")
        return
    messages.success(request, sentence)


def _page(
    request, survey, *, contact_form=None, table_form=None, table_errors=(), open_url="", status=200
):
    return render(
        request,
        "surveys/distribution.html",
        {
            "survey": survey,
            "closed_reason": closed_reason(survey),
            "rows": invitations.invitation_statuses(survey),
            "by_source": invitations.responses_by_source(survey),
            "contact_form": contact_form or ContactForm(register_id=survey.register_id),
            "table_form": table_form or ContactsTableForm(),
            "table_errors": table_errors,
            "open_url": open_url,
        },
        status=status,
    )


@login_required
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if request.method != "POST":
        return _page(request, survey)
    actor = user_of(request)

    def build_url(token: str) -> str:
        return request.build_absolute_uri(reverse("surveys:r_start", args=[token]))

    if request.POST.get("action") == "table":
        table_form = ContactsTableForm(request.POST, request.FILES)
        if not table_form.is_valid():
            return _page(request, survey, table_form=table_form, status=400)
        data, filename = table_form.table()
        report = invitations.contacts_read(survey, data, filename)
        if report.errors:
            return _page(
                request, survey, table_form=table_form, table_errors=report.errors, status=400
            )
        try:
            with denied_as_404():
                sent = invitations.invitations_create(
                    actor=actor, survey=survey, contacts=report.contacts, build_url=build_url
                )
        except ValidationError as error:
            return _page(
                request,
                survey,
                table_form=table_form,
                table_errors=[(0, m) for m in error.messages],
                status=400,
            )
        _sent_message(request, sent)
        return redirect("surveys:distribution", pk=survey.pk)

    contact_form = ContactForm(request.POST, register_id=survey.register_id)
    if contact_form.is_valid():
        fields = contact_form.cleaned_data
        try:
            with denied_as_404():
                sent = invitations.invitations_create(
                    actor=actor,
                    survey=survey,
                    contacts=[
                        Contact(
                            entry=fields["entry"],
                            contact_name=fields["contact_name"],
                            email=fields["email"],
                            group=fields["group"],
                        )
                    ],
                    build_url=build_url,
                )
        except ValidationError as error:
            show_errors(contact_form, error)
        else:
            _sent_message(request, sent)
            return redirect("surveys:distribution", pk=survey.pk)
    return _page(request, survey, contact_form=contact_form, status=400)


@login_required
@require_POST
def open_link(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    actor = user_of(request)
    if request.POST.get("action") == "disable":
        with denied_as_404():
            invitations.open_link_disable(actor=actor, survey=survey)
        messages.success(request, "Le lien ouvert est désactivé : il ne fonctionne plus.")
        return redirect("surveys:distribution", pk=survey.pk)
    try:
        with denied_as_404():
            token = invitations.open_link_issue(actor=actor, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:distribution", pk=survey.pk)
    # Shown once, on this page: only its hash is kept.
    url = request.build_absolute_uri(reverse("surveys:o_start", args=[token]))
    reply = _page(request, survey, open_url=url)
    reply["Cache-Control"] = "no-store"
    return reply


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authorized_or_404(request.user, SURVEYS_MANAGE)
    invitation = get_object_or_404(Invitation, pk=pk)
    with denied_as_404():
        invitations.invitation_revoke(actor=user_of(request), invitation=invitation)
    messages.success(request, "Le lien personnel est révoqué : il ne fonctionne plus.")
    return redirect("surveys:distribution", pk=invitation.survey_id)
