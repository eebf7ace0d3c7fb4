"""iCalendar feeds (RFC 5545) of the public events, built with the `icalendar` library.

Times are written with TZID=Europe/Paris and the matching VTIMEZONE, so that a
calendar shows the organiser's hour whatever its own zone; UID is the event's
stable UUID (a subscribed calendar updates the event, it does not duplicate it);
DTSTAMP and LAST-MODIFIED are the event's last change, in UTC.
"""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from oncolien.trainings.models import Event

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//OncoLien//Agenda des CPTS//FR"
UID_DOMAIN = "agenda.oncolien"


def uid_of(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _description(event: Event) -> str:
    lines = [f"Organisé par {event.organiser}."]
    if event.description:
        lines.append(event.description)
    if event.url:
        lines.append(event.url)
    return "\n".join(lines)


def calendar_of(events: Iterable[Event], *, name: str, base_url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        item = CalendarEvent()
        item.add("uid", uid_of(event))
        item.add("dtstamp", event.updated_at)
        item.add("last-modified", event.updated_at)
        item.add("dtstart", event.starts_at.astimezone(PARIS))
        item.add("dtend", event.ends_at.astimezone(PARIS))
        item.add("summary", event.title)
        item.add("description", _description(event))
        if event.where:
            item.add("location", event.where)
        if event.url:
            item.add("url", event.url)
        item.add("categories", [event.get_kind_display()])
        item.add("class", "PUBLIC")
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
