"""The patient list never stops silently: it tells how many pathways the user may see,
cuts them in pages that keep the search, and refuses a page that does not exist.

Before, it showed the first 200 and said « 200 parcours que vous pouvez voir » while
there were more."""

from datetime import date

import pytest
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Pathway, Patient
from oncolien.territories.models import Commune, Cpts

pytestmark = pytest.mark.django_db

PATIENTS = reverse("pathways:pathway_list")


@pytest.fixture
def many_pathways(coordinator):
    """230 pathways of CPTS Nord Aveyron, patients « PATIENT-000 » … « PATIENT-229 »."""
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    commune = Commune.objects.get(insee_code="12096")
    patients = Patient.objects.bulk_create(
        Patient(
            last_name=f"Patient-{index:03}",
            first_name="Jeanne",
            birth_date=date(1958, 4, 12),
            sex="F",
            commune=commune,
        )
        for index in range(230)
    )
    return Pathway.objects.bulk_create(
        Pathway(
            patient=patient,
            cpts=cpts,
            intake_channel="phone_line",
            first_contact_on=date(2026, 11, 2),
            created_by=coordinator,
        )
        for patient in patients
    )


def test_the_patient_list_tells_the_total_and_reaches_every_pathway(
    login, coordinator, many_pathways
):
    client = login(coordinator)

    first = client.get(PATIENTS).content.decode()
    last = client.get(PATIENTS, {"page": 5}).content.decode()

    assert "230 parcours que vous pouvez voir — page 1 sur 5" in first
    assert "PATIENT-000 Jeanne" in first
    assert "PATIENT-229 Jeanne" not in first
    assert 'href="?page=2"' in first
    assert "PATIENT-229 Jeanne" in last
    assert "page 5 sur 5" in last


def test_the_pages_keep_the_search(login, coordinator, many_pathways):
    client = login(coordinator)

    page = client.get(PATIENTS, {"q": "patient", "statut": "first_contact"}).content.decode()

    assert "230 parcours que vous pouvez voir — page 1 sur 5" in page
    assert 'href="?q=patient&amp;statut=first_contact&amp;page=2"' in page


def test_a_page_that_does_not_exist_is_said_so(login, coordinator, many_pathways):
    response = login(coordinator).get(PATIENTS, {"page": 9})

    assert response.status_code == 404
    page = response.content.decode()
    assert "La page 9 n&#x27;existe pas : la liste compte 5 pages." in page
    assert "PATIENT-000" not in page


def test_only_the_pathways_shown_are_audited_as_read(login, coordinator, many_pathways):
    login(coordinator).get(PATIENTS, {"page": 2})

    event = AuditEntry.objects.filter(action="pathway.list").latest("pk")
    shown = sorted(many_pathways, key=lambda p: p.patient.last_name)[50:100]
    assert event.details["pathway_ids"] == [p.pk for p in shown]
