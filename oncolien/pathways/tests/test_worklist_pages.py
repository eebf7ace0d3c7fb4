"""Every open alert can be reached: the worklist (API and page) tells the total,
cuts it in pages in a stable order and refuses a page that does not exist."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.pathways.models import Alert
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

API = "/api/v1/pathways"
WORKLIST = reverse("pathways:worklist")


def open_alerts(pathway, *, high: int, medium: int) -> list[Alert]:
    """`high` then `medium` open alerts, one minute apart, the oldest first."""
    start = timezone.now() - timedelta(days=3)
    alerts = [
        Alert(
            pathway=pathway,
            rule="fever",
            severity=severity,
            message=f"Alerte {severity} n° {index}",
            raised_at=start + timedelta(minutes=index),
        )
        for index, severity in enumerate(["high"] * high + ["medium"] * medium)
    ]
    return Alert.objects.bulk_create(alerts)


@pytest.fixture
def many_alerts(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    return open_alerts(pathway, high=120, medium=40)


def test_the_api_tells_the_total_and_reaches_every_open_alert(
    login, coordinating_nurse, many_alerts
):
    client = login(coordinating_nurse)

    first = client.get(f"{API}/alerts").json()
    second = client.get(f"{API}/alerts", {"page": 2}).json()

    assert (first["count"], first["page_size"], first["previous"]) == (160, 100, None)
    assert (second["count"], second["next"]) == (160, None)
    assert first["next"].endswith("/alerts?page=2")
    seen = [a["id"] for a in first["results"] + second["results"]]
    assert sorted(seen) == sorted(a.pk for a in many_alerts)
    assert len(seen) == len(set(seen))
    # Most severe first, then oldest: the medium ones come last, on page 2.
    assert [a["severity"]["code"] for a in second["results"]][-40:] == ["medium"] * 40


def test_the_api_refuses_a_page_out_of_range_in_french(login, coordinating_nurse, many_alerts):
    client = login(coordinating_nurse)

    response = client.get(f"{API}/alerts", {"page": 3})
    zero = client.get(f"{API}/alerts", {"page": 0})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "page",
            "message": "La page 3 n'existe pas : la liste compte 2 pages.",
            "type": "page_out_of_range",
        }
    ]
    assert zero.status_code == 422


def test_the_sheet_list_refuses_a_page_out_of_range(login, coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    response = login(coordinating_nurse).get(f"{API}/{pathway.pk}/records", {"page": 5})

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "La page 5 n'existe pas : la liste tient sur une seule page."
    )


def test_the_worklist_page_shows_the_total_and_paginates(login, coordinating_nurse, many_alerts):
    client = login(coordinating_nurse)

    first = client.get(WORKLIST).content.decode()
    last = client.get(WORKLIST, {"page": 7}).content.decode()

    assert "160 alertes ouvertes" in first
    assert "Page 1 sur 7" in first
    assert 'href="?page=2#alertes"' in first
    assert "Page 7 sur 7" in last
    assert "Alerte medium n° 159" in last
    assert "Alerte medium n° 159" not in first


def test_the_worklist_page_says_a_page_does_not_exist(login, coordinating_nurse, many_alerts):
    response = login(coordinating_nurse).get(WORKLIST, {"page": 9})

    assert response.status_code == 404
    page = response.content.decode()
    assert "La page 9 n&#x27;existe pas : la liste compte 7 pages." in page
    assert "Alerte high n° 0" not in page


def test_the_header_count_on_the_worklist_is_its_total_counted_once(
    login, coordinating_nurse, many_alerts
):
    """« Alertes ouvertes (160) » in the header and « 160 alertes ouvertes » below it are
    one count: the page does not count the same open alerts twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(coordinating_nurse)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(WORKLIST).content.decode()

    assert "Alertes ouvertes (160)" in page
    assert "160 alertes ouvertes" in page
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "pathways_alert"')
        and '"escalated_at" IS NOT NULL' not in q["sql"]
    ]
    assert len(counts) == 1, counts
