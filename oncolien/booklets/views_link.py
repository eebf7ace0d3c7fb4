"""The patient's personal link: the code first, then the booklet, with no account.

The page before the code shows nothing of the patient. A good code opens the booklet
for this browser session for `SESSION_MINUTES`; a wrong one is counted (the link
locks after `links.MAX_FAILED_CODES`); an unknown link is a 404 and a revoked,
expired or locked one a 410, each with a plain French page and no patient data.
Every attempt and every view is audited with no actor (booklets.services).
"""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from oncolien.booklets import links, selectors, services
from oncolien.link_tokens import LinkUnavailable

SESSION_KEY = "booklet_links"
SESSION_MINUTES = 30


def _private(response):
    # The token is in the address: keep it out of caches and of Referer headers.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _unlocked(request, link) -> bool:
    opened = request.session.get(SESSION_KEY, {}).get(str(link.pk))
    at = parse_datetime(opened) if isinstance(opened, str) else None
    return at is not None and timezone.now() - at < timedelta(minutes=SESSION_MINUTES)


def _remember(request, link) -> None:
    opened = dict(request.session.get(SESSION_KEY, {}))
    opened[str(link.pk)] = timezone.now().isoformat()
    request.session[SESSION_KEY] = opened


def _unavailable(request, refused: LinkUnavailable):
    return _private(
        render(
            request,
            "booklets/link_unavailable.html",
            {"reason": refused.reason},
            status=refused.status,
        )
    )


def _booklet_page(request, link):
    services.link_viewed(link)
    pathway = link.booklet.pathway
    content = selectors.booklet_content(pathway)
    return _private(
        render(
            request,
            "booklets/patient_booklet.html",
            {"content": content, "expires_at": link.expires_at},
        )
    )


def _code_page(request, *, error: str = "", status: int = 200):
    return _private(
        render(
            request,
            "booklets/patient_code.html",
            {"error": error, "digits": links.CODE_DIGITS},
            status=status,
        )
    )


def patient_booklet(request, token: str):
    if request.method == "POST":
        try:
            check = services.link_unlock(token, request.POST.get("code", ""))
        except LinkUnavailable as refused:
            return _unavailable(request, refused)
        if check.granted:
            _remember(request, check.link)
            return _booklet_page(request, check.link)
        if check.attempts_left == 0:
            return _unavailable(request, LinkUnavailable("locked", 410, check.link))
        left = check.attempts_left
        error = (
            f"Ce code n'est pas le bon. Il vous reste {left} essai{'s' if left > 1 else ''} "
            "avant que le lien ne soit bloqué."
        )
        return _code_page(request, error=error, status=400)
    try:
        link = services.link_open(token)
    except LinkUnavailable as refused:
        return _unavailable(request, refused)
    if _unlocked(request, link):
        return _booklet_page(request, link)
    return _code_page(request)
