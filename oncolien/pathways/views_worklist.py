"""The worklist (open alerts first) and the patient list, both limited to what the
user may see by `pathways.selectors`."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from oncolien.accounts.authorization import visible
from oncolien.pagination import PageOutOfRange, page_number
from oncolien.pathways import selectors
from oncolien.pathways.access import ALERT_PROTOCOL_EDIT, PATHWAY_LIST
from oncolien.pathways.context_processors import remember_open_alerts
from oncolien.pathways.models import PathwayStatus
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, denied_as_404

# A page a nurse reads and acts on (each alert carries its form); the API pages by 100.
ALERTS_PER_PAGE = 25
PATHWAYS_SHOWN = 25
PATHWAYS_PER_PAGE = 50


@login_required
def worklist(request):
    # A page that does not exist is said so, never replaced by the last one: a
    # nurse must not believe she has seen every alert.
    try:
        with denied_as_404():
            work = selectors.worklist_for(
                user=request.user,
                page=page_number(request.GET.get("page")),
                per_page=ALERTS_PER_PAGE,
                pathways_shown=PATHWAYS_SHOWN,
            )
    except PageOutOfRange as error:
        return render(
            request, "pathways/worklist.html", {"page_error": error.message_text}, status=404
        )
    remember_open_alerts(request, work.alerts.count)
    # The CPTS whose alert protocol this user may set (their coordinators).
    protocols = visible(request.user, ALERT_PROTOCOL_EDIT, Cpts.objects.order_by("name"))
    return render(
        request, "pathways/worklist.html", {"work": work, "protocol_cpts": list(protocols)}
    )


@login_required
def pathway_list(request):
    # Only the roles that follow patients have a patient list; regional staff and
    # administrators never see nominative data, not even an empty list of it.
    authorized_or_404(request.user, PATHWAY_LIST)
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("statut", "")
    if status not in PathwayStatus.values:
        status = ""
    context = {
        "search": search,
        "status": status,
        "statuses": PathwayStatus.choices,
        # The pages' links keep the search.
        "keep": urlencode(
            [(key, value) for key, value in (("q", search), ("statut", status)) if value]
        ),
    }
    # As on the worklist: a page that does not exist is said so, never replaced.
    try:
        pathways = selectors.pathway_list_for(
            user=request.user,
            search=search,
            status=status,
            page=page_number(request.GET.get("page")),
            per_page=PATHWAYS_PER_PAGE,
        )
    except PageOutOfRange as error:
        return render(
            request,
            "pathways/pathway_list.html",
            {**context, "page_error": error.message_text},
            status=404,
        )
    return render(request, "pathways/pathway_list.html", {**context, "pathways": pathways})
