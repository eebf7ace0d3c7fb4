"""A contact request is a new intake: the worklist says which coordinating nurse the
sector of its commune proposes, as the intake form does."""

import pytest
from django.urls import reverse

from oncolien.outreach.tests.factories import make_campaign
from oncolien.sectors.services import sector_save
from oncolien.territories.models import Commune, Cpts

pytestmark = pytest.mark.django_db

REQUEST = {
    "name": "Jeanne Martin",
    "phone": "06 12 34 56 78",
    "commune": "Espalion",
    "postal_code": "",
    "preferred_time": "morning",
    "message": "",
    "consent": "on",
}


def test_the_worklist_names_the_nurse_of_the_request_s_sector(
    client, coordinator, coordinating_nurse, login
):
    campaign = make_campaign(actor=coordinator)
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    sector_save(
        actor=coordinator,
        cpts=cpts,
        name="Vallée du Lot",
        communes=[Commune.objects.get(insee_code="12096")],  # Espalion
        nurses=[coordinating_nurse],
    )
    assert client.post(f"/c/{campaign.code}/", REQUEST).status_code == 302

    login(coordinating_nurse)
    worklist = client.get(reverse("pathways:worklist")).content.decode()
    nurse = coordinating_nurse.get_full_name()
    assert f"secteur « Vallée du Lot » : {nurse}" in worklist


def test_a_request_from_a_commune_without_sector_says_so(
    client, coordinator, coordinating_nurse, login
):
    campaign = make_campaign(actor=coordinator)
    assert client.post(f"/c/{campaign.code}/", REQUEST).status_code == 302
    login(coordinating_nurse)
    worklist = client.get(reverse("pathways:worklist")).content.decode()
    assert "commune sans secteur" in worklist
