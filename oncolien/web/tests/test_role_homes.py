"""Each role finds its way: its home lists what it can do, and no page offers a link
its viewer cannot open."""

import re

import pytest
from django.urls import reverse

from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="([^"#]+)', response.content.decode()))


@pytest.fixture
def his_pathway(coordinating_nurse, physician, community_nurse):
    pathway = make_pathway(actor=coordinating_nurse, last_name="Lacombe")
    add_to_team(actor=coordinating_nurse, pathway=pathway, user=physician, role="gp")
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    return pathway


def test_the_physicians_home_links_to_his_patients(login, physician, his_pathway):
    client = login(physician)
    home = client.get("/")
    assert reverse("pathways:pathway_list") in hrefs(home)
    patients = client.get(reverse("pathways:pathway_list"))
    assert "LACOMBE" in patients.content.decode()


def test_the_physician_opens_his_worklist_from_his_patients_and_the_pathway_page(
    login, physician, his_pathway
):
    client = login(physician)
    worklist = reverse("pathways:worklist")
    pages = [
        reverse("pathways:pathway_list"),
        reverse("pathways:pathway_detail", kwargs={"pk": his_pathway.pk}),
    ]
    for page in pages:
        assert worklist in hrefs(client.get(page)), page
    response = client.get(worklist)
    assert response.status_code == 200
    assert "LACOMBE" in response.content.decode()


def test_the_community_nurse_is_not_offered_an_intake_call(login, community_nurse, his_pathway):
    client = login(community_nurse)
    intake = reverse("pathways:intake")
    for page in ("/", reverse("pathways:worklist"), reverse("pathways:pathway_list")):
        assert intake not in hrefs(client.get(page)), page


def test_the_coordinating_nurse_is_offered_the_intake_call(login, coordinating_nurse):
    client = login(coordinating_nurse)
    assert reverse("pathways:intake") in hrefs(client.get(reverse("pathways:worklist")))
    assert client.get(reverse("pathways:intake")).status_code == 200


def test_the_providers_home_leads_to_his_referrals_not_to_patients(login, provider):
    home = hrefs(login(provider).get("/"))
    assert reverse("referrals:provider_inbox") in home
    assert reverse("pathways:pathway_list") not in home
    assert reverse("pathways:worklist") not in home
