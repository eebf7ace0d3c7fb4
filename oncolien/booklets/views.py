"""The booklet for the care team: its page, its printing (A4 / A5) and the patient's
personal link (issue, revoke).

The pathway comes only from `pathway_for` (404 for whoever may not see it, the
refusal audited; the read audited as `booklet.view`), the writes through
booklets.services.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed
from oncolien.booklets import links, selectors, services
from oncolien.booklets.forms import LinkForm, PrintForm
from oncolien.booklets.models import BookletLink, LinkChannel
from oncolien.booklets.printing import booklet_filename, render_booklet_pdf
from oncolien.notifications.models import Outcome
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.selectors import pathway_for
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404, user_of

LINK_STATES = {
    "open": "actif",
    "revoked": "révoqué",
    "locked": "bloqué (trop de codes erronés)",
    "expired": "expiré",
}
# Said after issuing, from the delivery's recorded outcome: never « envoyé » unless sent.
SENT: dict[str, str] = {
    Outcome.SENT: "Le lien a été envoyé.",
    Outcome.PENDING: "Le lien part dans un instant.",
    Outcome.NOT_SENT: "Le lien n'a pas été envoyé : aucune passerelle n'est configurée. "
    "Révoquez-le et transmettez-en un nouveau par code QR imprimé.",
    Outcome.FAILED: "L'envoi du lien a échoué : il n'a pas été transmis. Révoquez-le et "
    "transmettez-en un nouveau autrement.",
}


def _booklet_url(pathway_pk: int) -> str:
    return reverse("booklets:booklet", kwargs={"pk": pathway_pk})


@login_required
def booklet(request, pk: int):
    pathway = pathway_for(user=request.user, pk=pk, action="booklet.view")
    return render(
        request,
        "booklets/booklet.html",
        {
            "pathway": pathway,
            "content": selectors.booklet_content(pathway),
            "editions": selectors.editions_of(pathway),
            "links": [
                (link, LINK_STATES[links.link_state(link)]) for link in selectors.links_of(pathway)
            ],
            "can_write": is_allowed(request.user, PATHWAY_WRITE, pathway),
            "print_form": PrintForm(),
        },
    )


@login_required
@require_POST
def booklet_print(request, pk: int):
    pathway = pathway_for(user=request.user, pk=pk, action="booklet.print.read")
    form = PrintForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le format A4 ou A5 : rien n'a été imprimé.")
        return redirect(_booklet_url(pathway.pk))
    with denied_as_404():
        edition = services.edition_record(
            actor=user_of(request), pathway=pathway, page_format=form.cleaned_data["page_format"]
        )
    response = HttpResponse(render_booklet_pdf(pathway, edition), content_type="application/pdf")
    disposition = content_disposition_header(False, booklet_filename(pathway, edition))
    assert disposition is not None
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def link_new(request, pk: int):
    pathway = pathway_for(user=request.user, pk=pk, action="booklet.link.form")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with denied_as_404():
                issued = services.link_issue(
                    actor=user_of(request),
                    pathway=pathway,
                    channel=data["channel"],
                    phone=data["phone"],
                    email=data["email"],
                    build_url=lambda token: request.build_absolute_uri(
                        reverse("booklets:patient", kwargs={"token": token})
                    ),
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            qr_svg = ""
            if issued.link.channel == LinkChannel.PRINT:
                # segno writes the SVG itself from the URL (no user markup).
                qr_svg = mark_safe(  # noqa: S308
                    segno.make(issued.url, error="m").svg_inline(
                        scale=4, title="Code QR du livret de suivi"
                    )
                )
            delivery = issued.delivery
            outcome = delivery.outcome if delivery else ""
            response = render(
                request,
                "booklets/link_issued.html",
                {
                    "pathway": pathway,
                    "issued": issued,
                    "qr_svg": qr_svg,
                    "sent_text": SENT.get(outcome, "") if delivery else "",
                    "sent_ok": outcome in (Outcome.SENT, Outcome.PENDING),
                },
            )
            # Shown once: neither the link nor the code can be shown again.
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "booklets/link_new.html",
        {"pathway": pathway, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def link_revoke(request, link_pk: int):
    pathway_pk = (
        BookletLink.objects.filter(pk=link_pk).values_list("booklet__pathway_id", flat=True).first()
    )
    if pathway_pk is None:
        raise Http404("Lien introuvable.")
    pathway = pathway_for(user=request.user, pk=pathway_pk, action="booklet.link.revoke.read")
    link = BookletLink.objects.select_related("booklet__pathway").get(pk=link_pk)
    with denied_as_404():
        services.link_revoke(actor=user_of(request), link=link)
    messages.success(request, "Le lien est révoqué : il n'ouvre plus le livret.")
    return redirect(_booklet_url(pathway.pk))
