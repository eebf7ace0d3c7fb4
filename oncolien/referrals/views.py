"""The care team's referral pages: suggestions for a need, creating a referral,
a referral's page (send, record a move).

Thin: the pathway comes from `pathway_for` (404 for anyone else, audited), writes
go through `referrals.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed
from oncolien.directory.models import Service
from oncolien.directory.search.query import InvalidSearch
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.selectors import pathway_for
from oncolien.reference.models import CareType
from oncolien.referrals import provider_links, selectors, services, statuses
from oncolien.referrals.forms import (
    AnswerForm,
    ExternalReferralForm,
    ServiceReferralForm,
)
from oncolien.referrals.suggestions import suggestions_for
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404


def _care_type(code: str) -> CareType:
    care_type = CareType.objects.filter(code=code, active=True).first()
    if care_type is None:
        raise Http404("Soin de support inconnu.")
    return care_type


def _suggestions_page(request, pathway, care_type, *, status=200, **forms):
    try:
        suggestions = suggestions_for(pathway=pathway, care_type=care_type)
        error = ""
    except InvalidSearch as invalid:
        suggestions, error = [], str(invalid)
    context = {
        "pathway": pathway,
        "patient": pathway.patient,
        "care_type": care_type,
        "care_types": CareType.objects.filter(active=True).order_by("position", "code"),
        "suggestions": suggestions,
        "search_error": error,
        "can_write": is_allowed(request.user, PATHWAY_WRITE, pathway),
        "service_form": forms.get("service_form") or ServiceReferralForm(),
        "external_form": forms.get("external_form") or ExternalReferralForm(),
        "failed_service": forms.get("failed_service"),
    }
    return render(request, "referrals/suggestions.html", context, status=status)


@login_required
def suggestions(request, pathway_pk: int):
    pathway = pathway_for(user=request.user, pk=pathway_pk, action="referral.suggestions")
    code = request.GET.get("soin", "")
    if not code:
        first = CareType.objects.filter(active=True).order_by("position", "code").first()
        code = first.code if first else ""
    return _suggestions_page(request, pathway, _care_type(code))


@login_required
@require_POST
def referral_create(request, pathway_pk: int, code: str):
    pathway = pathway_for(user=request.user, pk=pathway_pk)
    care_type = _care_type(code)
    external = "external_name" in request.POST
    form = ExternalReferralForm(request.POST) if external else ServiceReferralForm(request.POST)
    name = "external_form" if external else "service_form"
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not external:
            data["service"] = Service.objects.filter(pk=data["service"]).first()
            if data["service"] is None:
                raise Http404("Offre introuvable.")
        try:
            with denied_as_404():
                referral = services.referral_create(
                    actor=request.user, pathway=pathway, care_type=care_type, **data
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Orientation proposée. Envoyez-la au professionnel.")
            return redirect("referrals:referral_detail", pk=referral.pk)
    failed = request.POST.get("service") if not external else None
    return _suggestions_page(
        request, pathway, care_type, status=400, failed_service=failed, **{name: form}
    )


def _detail_page(request, referral, *, status=200, form=None):
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "pathway": referral.pathway,
            "patient": referral.pathway.patient,
            "events": referral.events.select_related("by"),
            "moves": statuses.moves_from(referral.status, by=statuses.TEAM),
            "done_from": statuses.done_not_before(referral.appointment_on),
            "can_write": is_allowed(request.user, PATHWAY_WRITE, referral.pathway),
            "form": form or AnswerForm(),
            "link": provider_links.link_for(referral, request=request)
            if referral.status in statuses.WAITING and provider_links.link_opens(referral)
            else "",
            "link_revocable": provider_links.link_opens(referral)
            and referral.status != statuses.ReferralStatus.PROPOSED,
        },
        status=status,
    )


@login_required
def referral_detail(request, pk: int):
    return _detail_page(request, selectors.referral_for(user=request.user, pk=pk))


@login_required
@require_POST
def referral_send(request, pk: int):
    referral = selectors.referral_for(user=request.user, pk=pk)
    try:
        with denied_as_404():
            services.referral_send(
                actor=request.user,
                referral=referral,
                link=provider_links.link_for(referral, request=request),
            )
    except ValidationError as error:
        form = AnswerForm()
        show_errors(form, error)
        return _detail_page(request, referral, status=400, form=form)
    messages.success(request, "Orientation envoyée au professionnel.")
    return redirect("referrals:referral_detail", pk=pk)


@login_required
@require_POST
def referral_status(request, pk: int):
    referral = selectors.referral_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            with denied_as_404():
                services.referral_transition(
                    actor=request.user, referral=referral, answer=form.answer()
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Statut de l'orientation mis à jour.")
            return redirect("referrals:referral_detail", pk=pk)
    return _detail_page(request, referral, status=400, form=form)


@login_required
@require_POST
def referral_link_revoke(request, pk: int):
    referral = selectors.referral_for(user=request.user, pk=pk)
    with denied_as_404():
        services.referral_link_revoke(actor=request.user, referral=referral)
    if referral.status in statuses.WAITING:
        messages.success(
            request,
            "Le lien envoyé au professionnel a été révoqué : il ne fonctionne plus. Le nouveau "
            "lien affiché ci-dessous le remplace ; transmettez-le au professionnel s'il doit "
            "encore répondre.",
        )
    else:
        messages.success(
            request, "Le lien envoyé au professionnel a été révoqué : il ne fonctionne plus."
        )
    return redirect("referrals:referral_detail", pk=pk)
