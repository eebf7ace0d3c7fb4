"""The one-time link: issued by a professional from the pathway, then used by the
patient (or a relative) without an account.

The patient's page shows only the questionnaire: no name, no pathway. A dead or
unknown link gets a plain French page with no patient data (410 or 404). Every use
of a link is audited with no actor (see services.link_open).
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from oncolien.assessments import selectors, services
from oncolien.assessments.forms import LinkForm, item_rows
from oncolien.assessments.models import AccessLink, Audience, LinkChannel, Respondent
from oncolien.assessments.views_answers import answers_posted
from oncolien.link_tokens import LinkUnavailable
from oncolien.notifications.models import Outcome
from oncolien.pathways.selectors import pathway_for, phase_of
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404

CHANNEL_SENT: dict[str, str] = {
    LinkChannel.EMAIL: "Le lien a été envoyé par courriel.",
    LinkChannel.SMS: "Le lien a été envoyé par SMS.",
}
# Said instead when the delivery did not leave the server, so that nobody waits for a
# message the patient will never receive.
SMS_NOT_SENT = (
    "SMS non envoyé : aucune passerelle SMS n'est configurée. "
    "Transmettez le lien autrement (courriel, QR code)."
)
# Messages leave through the task queue: right after the request, one may still wait
# there, or have failed once and wait for its next attempt. Neither is « envoyé ».
CHANNEL_QUEUED: dict[str, str] = {
    LinkChannel.EMAIL: "Le lien part par courriel dans un instant.",
    LinkChannel.SMS: "Le lien part par SMS dans un instant.",
}
CHANNEL_RETRYING: dict[str, str] = {
    LinkChannel.EMAIL: "Le premier envoi du courriel a échoué ; un nouvel essai est prévu à {at}.",
    LinkChannel.SMS: "Le premier envoi du SMS a échoué ; un nouvel essai est prévu à {at}.",
}
# Said for any other state: it has not left yet.
NOT_YET_SENT: dict[str, str] = {
    LinkChannel.EMAIL: "Le courriel n'a pas encore été envoyé : vérifiez plus tard qu'il est "
    "parti, ou transmettez le lien autrement (QR code).",
    LinkChannel.SMS: "Le SMS n'a pas encore été envoyé : vérifiez plus tard qu'il est parti, "
    "ou transmettez le lien autrement (courriel, QR code).",
}
CHANNEL_FAILED: dict[str, str] = {
    LinkChannel.EMAIL: "L'envoi du courriel a échoué : le lien n'a pas été transmis. "
    "Révoquez-le et transmettez-en un nouveau autrement (SMS, QR code).",
    LinkChannel.SMS: "L'envoi du SMS a échoué : le lien n'a pas été transmis. "
    "Révoquez-le et transmettez-en un nouveau autrement (courriel, QR code).",
}


def _pathway_url(pathway_pk: int) -> str:
    return f"{reverse('pathways:pathway_detail', kwargs={'pk': pathway_pk})}#evaluations"


@login_required
def link_new(request, pathway_pk: int):
    pathway = pathway_for(user=request.user, pk=pathway_pk)
    instruments = selectors.instruments_in_use(audience=Audience.PATIENT)
    defaults = selectors.default_instruments(instruments, phase=phase_of(pathway))
    form = LinkForm(
        request.POST or None,
        instruments=instruments,
        initial={"instrument": defaults.get(Respondent.PATIENT)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with denied_as_404():
                issued = services.link_issue(
                    actor=request.user,
                    pathway=pathway,
                    instrument_code=data["instrument"],
                    channel=data["channel"],
                    respondent=data["respondent"],
                    email=data["email"],
                    phone=data.get("phone", ""),
                    build_url=lambda token: request.build_absolute_uri(
                        reverse("assessments:patient_fill", kwargs={"token": token})
                    ),
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if issued.link.channel == LinkChannel.PRINT:
                # Shown once: the token is not stored, so this page cannot be rebuilt.
                qr = segno.make(issued.url, error="m")
                return render(
                    request,
                    "assessments/link_print.html",
                    {
                        "pathway": pathway,
                        "issued": issued,
                        # segno writes the SVG itself from the URL (no user markup).
                        "qr_svg": mark_safe(  # noqa: S308
                            qr.svg_inline(scale=5, title="Code QR du questionnaire")
                        ),
                    },
                )
            # The page repeats the delivery's recorded outcome, never more.
            delivery = issued.delivery
            outcome = delivery.outcome if delivery else ""
            channel = issued.link.channel
            if outcome == Outcome.SENT:
                messages.success(request, CHANNEL_SENT[channel])
            elif outcome == Outcome.NOT_SENT:
                messages.error(request, SMS_NOT_SENT)
            elif outcome == Outcome.PENDING:
                messages.info(request, CHANNEL_QUEUED[channel])
            elif outcome == Outcome.FAILED and delivery and delivery.next_attempt_at:
                at = f"{timezone.localtime(delivery.next_attempt_at):%H:%M}"
                messages.warning(request, CHANNEL_RETRYING[channel].format(at=at))
            elif outcome == Outcome.FAILED:
                messages.error(request, CHANNEL_FAILED[channel])
            else:
                messages.warning(request, NOT_YET_SENT[channel])
            return redirect(_pathway_url(pathway.pk))
    status = 400 if form.errors else 200
    return render(
        request,
        "assessments/link_new.html",
        {"pathway": pathway, "form": form, "defaults": defaults},
        status=status,
    )


@login_required
@require_POST
def link_revoke(request, link_pk: int):
    pathway_pk = (
        AccessLink.objects.filter(pk=link_pk)
        .values_list("assessment__pathway_id", flat=True)
        .first()
    )
    if pathway_pk is None:
        raise Http404("Lien introuvable.")
    pathway = pathway_for(user=request.user, pk=pathway_pk)
    link = AccessLink.objects.select_related("assessment").get(
        pk=link_pk, assessment__pathway=pathway
    )
    with denied_as_404():
        services.link_revoke(actor=request.user, link=link)
    messages.success(request, "Le lien est révoqué : il ne fonctionne plus.")
    return redirect(_pathway_url(pathway.pk))


def _private(response):
    # The token is in the address: keep it out of caches and of Referer headers sent
    # elsewhere ("no-referrer" would make browsers post "Origin: null", failing CSRF).
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _patient_page(
    request, assessment, *, answers=None, errors=None, general=(), status=200, saved_now=False
):
    definition = assessment.instrument.definition
    answers = assessment.answers if answers is None else answers
    context = {
        "definition": definition,
        "rows": item_rows(definition, answers, errors),
        "errors": errors,
        "general_errors": general,
        "expires_at": assessment.access_link.expires_at,
        "saved_now": saved_now,
    }
    return _private(render(request, "assessments/patient_fill.html", context, status=status))


def patient_fill(request, token: str):
    try:
        link = services.link_open(token)
    except LinkUnavailable as refused:
        context = {"reason": refused.reason}
        return _private(
            render(request, "assessments/link_unavailable.html", context, status=refused.status)
        )
    assessment = link.assessment
    if request.method != "POST":
        return _patient_page(request, assessment)

    def page(**shown):
        return _patient_page(request, assessment, **shown)

    def after(saved, *, completed: bool):
        if completed:
            thanks = assessment.instrument.definition.get("thanks", "")
            return render(request, "assessments/patient_done.html", {"thanks": thanks})
        return _patient_page(request, saved, saved_now=True)

    return _private(answers_posted(request, assessment, actor=None, page=page, after=after))
