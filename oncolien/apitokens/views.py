from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from oncolien.accounts.models import User
from oncolien.apitokens import selectors, services
from oncolien.apitokens.forms import TokenCreateForm
from oncolien.web.forms import show_errors


def _verified(request: HttpRequest) -> bool:
    """Tokens are created only from a session verified by the second factor."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """« Jetons d'accès à l'API »: create one (its secret shown once), list, revoke."""
    user = request.user
    assert isinstance(user, User)
    verified = _verified(request)
    cpts_choices = services.cpts_choices_for(user=user)
    form = TokenCreateForm(request.POST or None, cpts_choices=cpts_choices)
    created = None
    if request.method == "POST" and verified and form.is_valid():
        try:
            created = services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                cpts=form.cleaned_data["cpts"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            # The page that shows the secret is this answer, never stored: a new form.
            form = TokenCreateForm(cpts_choices=cpts_choices)
    elif request.method == "POST" and not verified:
        form.add_error(
            None,
            "Validez d'abord la vérification en deux étapes : aucun jeton n'a été créé.",
        )
    return render(
        request,
        "apitokens/tokens.html",
        {
            "form": form,
            "created": created,
            "verified": verified,
            "cpts_choices": cpts_choices,
            "tokens": selectors.tokens_of(user=user),
            "now": timezone.now(),
            "max_days": services.MAX_LIFETIME_DAYS,
        },
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(selectors.tokens_of(user=user), pk=pk)
    services.token_revoke(actor=user, token=token)
    messages.success(request, f"Le jeton « {token.name} » ({token.prefix}…) est révoqué.")
    return redirect("apitokens:tokens")
