from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from oncolien.trainings.services import event_create

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def thursday_in(weeks: int) -> datetime:
    today = timezone.localdate()
    day = today + timedelta(days=(3 - today.weekday()) % 7 + 7 * weeks)
    return datetime(day.year, day.month, day.day, 13, 0, tzinfo=PARIS)


@pytest.fixture
def events(coordinator, regional, nord_aveyron):
    start = thursday_in(1)
    return {
        "jeudi": event_create(
            actor=regional,
            region_code="76",
            kind="webinar",
            title="Jeudi Onco-Occitanie : soins de support",
            organiser="Onco-Occitanie",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            remote=True,
            is_public=True,
        ),
        "public": event_create(
            actor=coordinator,
            cpts=nord_aveyron,
            kind="training",
            title="Formation IDEC en cancérologie",
            organiser="Centre de Formation du CHU de Clermont-Ferrand",
            starts_at=start.replace(hour=9),
            ends_at=start.replace(hour=12, minute=30),
            place="Laguiole",
            remote=True,
            is_public=True,
        ),
        "private": event_create(
            actor=coordinator,
            cpts=nord_aveyron,
            kind="meeting",
            title="Réunion des infirmières coordinatrices",
            organiser="CPTS Nord Aveyron",
            starts_at=start.replace(hour=18),
            ends_at=start.replace(hour=19),
            place="Espalion",
        ),
    }


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_cpts_feed_holds_its_public_events_in_paris_time_and_no_private_one(
    client, events, nord_aveyron
):
    calendar = parse(client.get(reverse("calendar:cpts_feed", args=[nord_aveyron.slug])))
    items = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in items] == ["Formation IDEC en cancérologie"]
    event = items[0]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Paris"
    assert (start.hour, start.minute) == (9, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTEND").strftime("%H:%M") == "12:30"
    assert str(event["UID"]) == f"{events['public'].uid}@agenda.oncolien"
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert str(event["LOCATION"]) == "En distanciel et à Laguiole"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    feed = client.get(reverse("calendar:cpts_feed", args=[nord_aveyron.slug]))
    assert "Réunion des infirmières" not in feed.content.decode()


def test_the_uid_stays_the_same_when_the_event_changes(client, coordinator, events, nord_aveyron):
    from oncolien.trainings.services import event_update

    url = reverse("calendar:cpts_feed", args=[nord_aveyron.slug])
    before = parse(client.get(url)).walk("VEVENT")[0]
    event_update(actor=coordinator, event=events["public"], title="Formation IDEC (reportée)")
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["SUMMARY"]) == "Formation IDEC (reportée)"


def test_the_regional_feed_holds_the_jeudis_onco_occitanie(client, events):
    calendar = parse(client.get(reverse("calendar:region_feed", args=["76"])))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Jeudi Onco-Occitanie : soins de support"
    assert event.decoded("DTSTART").weekday() == 3
    assert str(event["LOCATION"]) == "En distanciel"
    assert client.get(reverse("calendar:region_feed", args=["99"])).status_code == 404


def test_the_public_page_shows_public_events_only_without_an_account(client, events):
    page = client.get(reverse("calendar:public")).content.decode()
    assert "Jeudi Onco-Occitanie : soins de support" in page
    assert "Formation IDEC en cancérologie" in page
    assert "Réunion des infirmières coordinatrices" not in page


def test_private_events_show_to_the_cpts_professionals_only(
    login, physician, outsider, regional, events
):
    url = reverse("calendar:professional")
    assert "Réunion des infirmières coordinatrices" in login(physician).get(url).content.decode()
    assert "réservé aux professionnel·les" in login(physician).get(url).content.decode()
    assert "Réunion des infirmières coordinatrices" not in login(outsider).get(url).content.decode()
    assert "Jeudi Onco-Occitanie" in login(outsider).get(url).content.decode()


def test_regional_events_by_regional_staff_cpts_events_by_its_coordinators(
    coordinator, physician, nord_aveyron
):
    start = thursday_in(2)
    values = {
        "title": "T",
        "organiser": "O",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "remote": True,
    }
    with pytest.raises(PermissionDenied):
        event_create(actor=coordinator, region_code="76", **values)
    with pytest.raises(PermissionDenied):
        event_create(actor=physician, cpts=nord_aveyron, **values)
    with pytest.raises(ValidationError, match="La fin doit être après le début."):
        event_create(
            actor=coordinator,
            cpts=nord_aveyron,
            **{**values, "ends_at": start - timedelta(hours=1)},
        )
    with pytest.raises(ValidationError, match="Indiquez le lieu"):
        event_create(actor=coordinator, cpts=nord_aveyron, **{**values, "remote": False})


def test_a_coordinator_announces_an_event_through_the_form(coordinator, login, nord_aveyron):
    client = login(coordinator)
    response = client.post(
        reverse("calendar:create"),
        {
            "calendar": f"cpts:{nord_aveyron.pk}",
            "kind": "training",
            "title": "Atelier",
            "organiser": "CPTS",
            "starts_at": "2030-03-07T09:00",
            "ends_at": "2030-03-07T12:30",
            "place": "Espalion",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("calendar:public")).content.decode()
    assert "jeudi 7 mars 2030, 09h00</strong> – 12h30 (heure de Paris)" in page
