"""« Notifications »: the signed-in person's own in-app notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from oncolien.notifications import inbox
from oncolien.web.http import user_of


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": inbox.inbox_for(user=user)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = inbox.notification_open(user=user_of(request), pk=pk)
    if delivery is None:
        raise Http404("Notification introuvable.")
    return redirect(delivery.link or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = inbox.mark_all_read(user=user_of(request))
    if count:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications:inbox")
