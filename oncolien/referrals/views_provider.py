"""The provider's pages: the signed link (no account) and the same page for a
provider account. Both show only `selectors.ProviderView`, never the pathway.

A link that is expired, tampered with or revoked gets a French page that names
no patient and says whom to contact: 410 for an authentic link that no longer
works (expired, revoked, its referral ended or its pathway closed), 404 for a token
that is not ours, so that nothing tells whether a referral exists. Each refusal is
audited like any other (`access.denied`, no actor, the reason in its details).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from oncolien.audit.pending import record_refusal
from oncolien.audit.services import audit_record
from oncolien.pagination import PageOutOfRange, page_number
from oncolien.referrals import provider_links, selectors, services, statuses
from oncolien.referrals.forms import AnswerForm
from oncolien.web.forms import show_errors
from oncolien.web.http import denied_as_404


def _page(request, referral, *, form=None, status=200, action_url=""):
    return render(
        request,
        "referrals/provider_answer.html",
        {
            "view": selectors.provider_view(referral),
            "moves": statuses.moves_from(referral.status, by=statuses.PROVIDER),
            "done_from": statuses.done_not_before(referral.appointment_on),
            "form": form or AnswerForm(),
            "action_url": action_url or request.path,
        },
        status=status,
    )


def _answer(request, referral, apply):
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            with denied_as_404():
                apply(form.answer())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Votre réponse a été enregistrée. Merci.")
            return redirect(request.path)
    return _page(request, referral, form=form, status=400)


def _refused(request, refused: provider_links.LinkInvalid):
    record_refusal(
        {
            "actor": None,
            "action": "access.denied",
            "target": refused.referral,
            "details": {"permission": "referral.provider_link", "reason": refused.reason},
        }
    )
    return render(
        request,
        "referrals/link_invalid.html",
        {"message": str(refused), "gone": refused.status == 410, "cpts": refused.cpts},
        status=refused.status,
    )


@never_cache
@csrf_protect
def provider_link(request, token: str):
    try:
        referral = provider_links.referral_from_token(token)
        if request.method == "POST":
            # Checked again under lock: the link may be revoked while the page is open.
            return _answer(
                request,
                referral,
                lambda answer: services.referral_answer_by_link(referral=referral, answer=answer),
            )
    except provider_links.LinkInvalid as refused:
        return _refused(request, refused)
    audit_record(actor=None, action="referral.link_read", target=referral)
    return _page(request, referral)


@login_required
def provider_inbox(request):
    # A page that does not exist is said so, never replaced by another one.
    try:
        referrals = selectors.provider_referrals_for(
            user=request.user, page=page_number(request.GET.get("page"))
        )
    except PageOutOfRange as error:
        return render(
            request, "referrals/provider_inbox.html", {"page_error": error.message_text}, status=404
        )
    return render(request, "referrals/provider_inbox.html", {"referrals": referrals})


@login_required
def provider_referral(request, pk: int):
    referral = selectors.provider_referral_for(user=request.user, pk=pk)
    if request.method == "POST":
        return _answer(
            request,
            referral,
            lambda answer: services.referral_answer_by_account(
                actor=request.user, referral=referral, answer=answer
            ),
        )
    return _page(request, referral)
