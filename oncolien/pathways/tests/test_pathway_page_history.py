"""A long history does not make the pathway page long: the sheets and the events are
shown a page at a time, newest first, with a link to older ones."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.pathways.models import MonitoringRecord
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def add_sheets(pathway, author, count: int) -> None:
    now = timezone.now()
    MonitoringRecord.objects.bulk_create(
        MonitoringRecord(
            pathway=pathway,
            author=author,
            recorded_at=now - timedelta(days=index),
            pulse_bpm=60 + index % 40,
            observations=f"Fiche n° {index}",
        )
        for index in range(count)
    )


def test_the_page_shows_the_latest_sheets_and_events_and_links_to_older_ones(
    login, coordinating_nurse
):
    pathway = make_pathway(actor=coordinating_nurse)
    add_sheets(pathway, coordinating_nurse, 80)
    client = login(coordinating_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})

    first = client.get(url).content.decode()
    older = client.get(url, {"historique": 2, "fiches": 2}).content.decode()

    assert "Les 5 dernières fiches sur 80" in first
    assert 'href="?fiches=2#fiches"' in first
    assert 'href="?historique=2#historique"' in first
    assert "Fiche n° 0" in first
    assert "Fiche n° 29" not in first
    assert "Fiche n° 29" in older
    assert "Fiche plus anciennes" not in older
    assert "Page 2 sur 16" in older


def test_a_page_of_history_that_does_not_exist_is_said_so(login, coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})

    page = login(coordinating_nurse).get(url, {"historique": 7, "fiches": 3}).content.decode()

    assert "La page 7 de l&#x27;historique n&#x27;existe pas." in page
    assert "La page 3 n&#x27;existe pas : la liste tient sur une seule page." in page


def test_the_page_costs_the_same_queries_with_5_or_500_sheets(
    login, coordinating_nurse, django_assert_max_num_queries
):
    pathway = make_pathway(actor=coordinating_nurse)
    add_sheets(pathway, coordinating_nurse, 5)
    client = login(coordinating_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    client.get(url)
    # The header's two counts (notifications, open alerts) are part of every page.
    with django_assert_max_num_queries(45) as few:
        short = client.get(url)
    add_sheets(pathway, coordinating_nurse, 495)

    with django_assert_max_num_queries(len(few.captured_queries)):
        long = client.get(url)

    assert len(long.content) < 1.2 * len(short.content)


def test_each_consent_and_who_noted_it_is_read_once(
    login, coordinating_nurse, coordinator, django_assert_max_num_queries
):
    """The statements of the patient appear in the information section and in the
    history: one read for both, whoever noted them."""
    from oncolien.pathways.services import consent_record

    pathway = make_pathway(actor=coordinating_nurse)
    client = login(coordinating_nurse)
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for index, actor in enumerate([coordinator, coordinating_nurse] * 3):
        consent_record(
            actor=actor,
            pathway=pathway,
            informed_on=timezone.localdate() - timedelta(days=index),
            objects_to_sharing=False,
            notes=f"Information n° {index}",
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count("Information n° 5") == 2  # the section and the history
