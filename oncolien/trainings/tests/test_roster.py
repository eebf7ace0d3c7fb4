from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oncolien.trainings.selectors import roster_of, training_hours
from oncolien.trainings.services import SessionValues, professional_add, training_save

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 3, day, hour, minute, tzinfo=PARIS)


# « 08 mars 2023 (9h à 12h30) & 16 mars 2023 (13h30 à 17h) — 23 mars 2023 (9h30 à 16h30) »
MARCH_2023 = [
    SessionValues(at(8, 9), at(8, 12, 30)),
    SessionValues(at(16, 13, 30), at(16, 17)),
    SessionValues(at(23, 9, 30), at(23, 16, 30)),
]


@pytest.fixture
def clermont(coordinator, nord_aveyron, community_nurse):
    nurses = [professional_add(actor=coordinator, cpts=nord_aveyron, user=community_nurse)]
    nurses += [
        professional_add(
            actor=coordinator, cpts=nord_aveyron, last_name=f"Infirmière {n}", first_name="Marie"
        )
        for n in range(2, 10)
    ]
    training = training_save(
        actor=coordinator,
        cpts=nord_aveyron,
        title="Rôle de l'infirmier de coordination (IDEC) en cancérologie",
        organiser="Centre de Formation du CHU de Clermont-Ferrand",
        place="Laguiole",
        remote=True,
        sessions=MARCH_2023,
        participants=nurses,
    )
    return training


def test_the_march_2023_training_counts_14_hours_for_each_of_the_9_nurses(clermont, nord_aveyron):
    assert [s.duration_hours for s in clermont.sessions.all()] == [
        Decimal("3.50"),
        Decimal("3.50"),
        Decimal("7.00"),
    ]
    assert training_hours(clermont) == Decimal("14")
    roster = roster_of(nord_aveyron)
    assert len(roster.lines) == 9
    assert {line.hours for line in roster.lines} == {Decimal("14")}


def test_an_effective_duration_replaces_the_span_of_a_session(coordinator, nord_aveyron):
    training = training_save(
        actor=coordinator,
        cpts=nord_aveyron,
        title="Journée",
        organiser="CHU",
        place="Rodez",
        sessions=[SessionValues(at(23, 9, 30), at(23, 16, 30), hours=Decimal("6"))],
    )
    assert training_hours(training) == Decimal("6")


def test_bad_sessions_and_a_duplicate_are_refused_in_french(
    coordinator, nord_aveyron, community_nurse
):
    with pytest.raises(ValidationError, match="la fin doit être après le début"):
        training_save(
            actor=coordinator,
            cpts=nord_aveyron,
            title="T",
            organiser="O",
            sessions=[SessionValues(at(8, 12), at(8, 9))],
        )
    with pytest.raises(ValidationError, match="au moins une séance"):
        training_save(actor=coordinator, cpts=nord_aveyron, title="T", organiser="O", sessions=[])
    professional_add(actor=coordinator, cpts=nord_aveyron, user=community_nurse)
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        professional_add(actor=coordinator, cpts=nord_aveyron, user=community_nurse)
    with pytest.raises(ValidationError, match="11 chiffres"):
        professional_add(
            actor=coordinator, cpts=nord_aveyron, last_name="A", first_name="B", rpps="123"
        )


def test_only_the_cpts_coordination_keeps_the_roster(physician, outsider, nord_aveyron):
    for actor in (physician, outsider):
        with pytest.raises(PermissionDenied):
            professional_add(actor=actor, cpts=nord_aveyron, last_name="A", first_name="B")


def test_the_roster_is_shown_to_the_cpts_professionals_not_to_others(
    clermont, physician, outsider, login, nord_aveyron
):
    url = reverse("trainings:roster", args=[nord_aveyron.slug])
    page = login(physician).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "9 professionnel·les formé·es" in text
    assert "Centre de Formation du CHU de Clermont-Ferrand" in text
    assert "mercredi 8 mars 2023, de 09h00 à 12h30 : 3,5 h" in text
    assert "Total : 14 h" in text
    assert "Retirer" not in text  # a physician reads, the coordination edits
    assert login(outsider).get(url).status_code == 404


def test_a_coordinator_records_a_training_with_its_sessions_through_the_form(
    coordinator, login, nord_aveyron
):
    client = login(coordinator)
    url = reverse("trainings:training_create", args=[nord_aveyron.slug])
    data = {
        "title": "IDEC",
        "organiser": "CHU de Clermont-Ferrand",
        "remote": "on",
        "seances-TOTAL_FORMS": "3",
        "seances-INITIAL_FORMS": "0",
        "seances-MIN_NUM_FORMS": "0",
        "seances-MAX_NUM_FORMS": "20",
        "seances-0-day": "2023-03-08",
        "seances-0-start": "09:00",
        "seances-0-end": "12:30",
        "seances-1-day": "2023-03-16",
        "seances-1-start": "13:30",
        "seances-1-end": "17:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert "Total : 7 h" in page
