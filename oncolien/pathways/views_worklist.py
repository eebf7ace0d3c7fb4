"""The worklist (open alerts first) and the patient list, both limited to what the
user may see by `pathways.selectors`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from oncolien.accounts.authorization import visible
from oncolien.pathways import selectors
from oncolien.pathways.access import ALERT_PROTOCOL_EDIT, PATHWAY_LIST
from oncolien.pathways.models import PathwayStatus
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, denied_as_404


@login_required
def worklist(request):
    with denied_as_404():
        work = selectors.worklist_for(user=request.user)
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
    pathways = selectors.pathway_list_for(user=request.user, search=search, status=status)
    return render(
        request,
        "pathways/pathway_list.html",
        {
            "pathways": pathways,
            "search": search,
            "status": status,
            "statuses": PathwayStatus.choices,
        },
    )
