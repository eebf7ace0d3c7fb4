"""The calendar of upcoming trainings and events: the public page and its iCalendar
feeds (no account), the professionals' page with the private events they may see,
and the forms of those who announce them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed, visible
from oncolien.accounts.models import User
from oncolien.territories.models import Cpts
from oncolien.trainings import calendar, selectors, services
from oncolien.trainings.access import EVENT_CREATE, EVENT_CREATE_REGIONAL, EVENT_EDIT
from oncolien.trainings.forms import EventForm
from oncolien.trainings.models import Event
from oncolien.web.forms import show_errors
from oncolien.web.http import NOT_FOUND, authorized_or_404, denied_as_404, deny, user_of


def _region_names() -> dict[str, str]:
    return dict(selectors.regions())


def _labelled(events: list[Event]) -> list[Event]:
    """The events, each regional one with its region's name for the page."""
    names = _region_names()
    for event in events:
        event.region_label = names.get(event.region_code, event.region_code)  # type: ignore[attr-defined]
    return events


def public_calendar(request: HttpRequest) -> HttpResponse:
    events = selectors.upcoming(selectors.public_events())
    cpts_slug = request.GET.get("cpts", "").strip()
    region = request.GET.get("region", "").strip()
    chosen_cpts = Cpts.objects.filter(slug=cpts_slug).first() if cpts_slug else None
    if chosen_cpts is not None:
        events = events.filter(cpts=chosen_cpts)
    elif region:
        events = events.filter(cpts__isnull=True, region_code=region)
    regions = _region_names()
    return render(
        request,
        "trainings/calendar_public.html",
        {
            "events": _labelled(list(events)),
            "cpts_list": list(Cpts.objects.order_by("name")),
            "regions": sorted(regions.items(), key=lambda item: item[1]),
            "chosen_cpts": chosen_cpts,
            "chosen_region": region if chosen_cpts is None else "",
        },
    )


def _ics(events: list[Event], name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar.calendar_of(events, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def cpts_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public events of one CPTS (the feed keeps the past ones a calendar holds)."""
    cpts = get_object_or_404(Cpts, slug=slug)
    events = list(selectors.public_events().filter(cpts=cpts).order_by("starts_at", "pk"))
    return _ics(events, f"Agenda de la {cpts.name}", f"agenda-{cpts.slug}.ics")


def region_feed(request: HttpRequest, code: str) -> HttpResponse:
    names = _region_names()
    if code not in names:
        raise Http404(NOT_FOUND)
    events = list(
        selectors.public_events()
        .filter(cpts__isnull=True, region_code=code)
        .order_by("starts_at", "pk")
    )
    return _ics(events, f"Agenda régional — {names[code]}", f"agenda-region-{code}.ics")


def _calendars(user: User) -> list[tuple[str, str]]:
    """The agendas the user may announce an event in: her CPTS, the regions."""
    choices = [
        (f"cpts:{c.pk}", c.name) for c in visible(user, EVENT_CREATE, Cpts.objects.order_by("name"))
    ]
    if is_allowed(user, EVENT_CREATE_REGIONAL):
        choices += [
            (f"region:{code}", f"Régional — {name}")
            for code, name in sorted(_region_names().items(), key=lambda item: item[1])
        ]
    return choices


@login_required
def professional_calendar(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    events = _labelled(list(selectors.upcoming(selectors.events_for(user))))
    editable = set(
        visible(user, EVENT_EDIT, Event.objects.filter(pk__in=[e.pk for e in events])).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "trainings/calendar_professional.html",
        {
            "events": events,
            "editable": editable,
            "may_create": bool(_calendars(user)),
        },
    )


def _target(value: str) -> tuple[Cpts | None, str]:
    kind, _, key = value.partition(":")
    if kind == "cpts":
        return get_object_or_404(Cpts, pk=int(key)), ""
    return None, key


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    event = None
    if pk is not None:
        event = get_object_or_404(Event, pk=pk)
        authorized_or_404(user, EVENT_EDIT, event)
        current = f"cpts:{event.cpts_id}" if event.cpts_id else f"region:{event.region_code}"
        region = _region_names().get(event.region_code, event.region_code)
        label = event.cpts.name if event.cpts else f"Régional — {region}"
        calendars = [(current, label)]
    else:
        calendars = _calendars(user)
        if not calendars:
            deny(user, EVENT_CREATE)
    initial = None
    if event is not None:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        initial["calendar"] = calendars[0][0]
    form = EventForm(request.POST or None, initial=initial, calendars=calendars)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with denied_as_404():
                    if event is None:
                        cpts, region = _target(form.cleaned_data["calendar"])
                        saved = services.event_create(
                            actor=user, cpts=cpts, region_code=region, **form.event_values()
                        )
                    else:
                        saved = services.event_update(
                            actor=user, event=event, **form.event_values()
                        )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Événement « {saved.title} » enregistré.")
                return redirect("calendar:professional")
    return render(
        request,
        "trainings/event_form.html",
        {"form": form, "event": event},
        status=status,
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    authorized_or_404(request.user, EVENT_EDIT, event)
    title = event.title
    with denied_as_404():
        services.event_delete(actor=user_of(request), event=event)
    messages.success(request, f"Événement « {title} » supprimé.")
    return redirect("calendar:professional")
