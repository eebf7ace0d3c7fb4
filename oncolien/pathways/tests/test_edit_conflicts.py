"""Two people edit the same pathway at once: the second save never overwrites the first.

Each test loads the edit form (or the API's pathway) twice, as two sessions would,
saves from both, and checks that the second is refused with what changed, that the
first one's change is kept, and that both attempts are in the audit trail.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Pathway
from oncolien.pathways.services import pathway_update
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields of one form of a page, as a browser would send them unchanged."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.select = action, False, None
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[attrs["name"]] = attrs.get("value") or "on"
            else:
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs.get("name")
            self.values.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.values[attrs["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None


def form_values(page: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(page)
    assert reader.values, f"the page has a form posting to {action}"
    return reader.values


def session_of(user) -> Client:
    """A browser of its own, logged in with a verified second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def marie(coordinating_nurse):
    coordinating_nurse.first_name, coordinating_nurse.last_name = "Marie", "Dupont"
    coordinating_nurse.save(update_fields=["first_name", "last_name"])
    return coordinating_nurse


@pytest.fixture
def pathway(coordinator, marie):
    pathway = make_pathway(actor=coordinator)
    add_to_team(actor=coordinator, pathway=pathway, user=marie, role="coordinating_nurse")
    pathway_update(actor=coordinator, pathway=pathway, pps_reference="PPS-1")
    pathway.refresh_from_db()
    return pathway


def _urls(pathway):
    return (
        reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}),
        reverse("pathways:details_update", kwargs={"pk": pathway.pk}),
    )


def test_the_second_of_two_concurrent_saves_gets_the_conflict_page(pathway, coordinator, marie):
    page_url, save_url = _urls(pathway)
    hers, mine = session_of(marie), session_of(coordinator)
    her_form = form_values(hers.get(page_url).content.decode(), save_url)
    my_form = form_values(mine.get(page_url).content.decode(), save_url)
    assert her_form["version"] == my_form["version"] == str(pathway.version)

    saved = hers.post(save_url, {**her_form, "pps_reference": "PPS-2", "cancer_site": "breast"})
    assert saved.status_code == 302
    refused = mine.post(save_url, {**my_form, "dcc_reference": "DCC-9", "pps_reference": "PPS-1"})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Vos modifications n'ont pas été enregistrées." in page
    assert "Pendant votre modification, Marie Dupont a changé :" in page
    assert "PPS (lien ou référence) : PPS-1 → PPS-2" in page
    assert "Localisation du cancer : (vide) → Sein" in page
    # The first save is kept; the second wrote nothing.
    pathway.refresh_from_db()
    assert (pathway.pps_reference, pathway.cancer_site, pathway.dcc_reference) == (
        "PPS-2",
        "breast",
        "",
    )
    # The refused editor's input is still in the form, now on the current version.
    again = form_values(page, save_url)
    assert again["dcc_reference"] == "DCC-9"
    assert again["version"] == str(pathway.version)
    # Both attempts are audited.
    actions = list(
        AuditEntry.objects.filter(target_id=str(pathway.pk), action__startswith="pathway.update")
        .order_by("sequence")
        .values_list("actor_label", "action")
    )
    assert actions[-2:] == [
        (marie.username, "pathway.update"),
        (coordinator.username, "pathway.update_conflict"),
    ]


def test_saving_again_after_reading_the_conflict_applies_on_the_current_version(
    pathway, coordinator, marie
):
    page_url, save_url = _urls(pathway)
    hers, mine = session_of(marie), session_of(coordinator)
    her_form = form_values(hers.get(page_url).content.decode(), save_url)
    my_form = form_values(mine.get(page_url).content.decode(), save_url)
    hers.post(save_url, {**her_form, "cancer_site": "lung"})
    refused = mine.post(save_url, {**my_form, "dcc_reference": "DCC-9"})
    assert refused.status_code == 409
    # The re-displayed form carries her change (she chose « lung ») and my input.
    second_try = form_values(refused.content.decode(), save_url)
    assert second_try["cancer_site"] == "", "my own input is kept, not replaced by hers"
    second_try["cancer_site"] = "lung"
    assert mine.post(save_url, second_try).status_code == 302
    pathway.refresh_from_db()
    assert (pathway.cancer_site, pathway.dcc_reference, pathway.version) == ("lung", "DCC-9", 4)


def test_a_form_without_its_version_saves_nothing(pathway, coordinator):
    page_url, save_url = _urls(pathway)
    client = session_of(coordinator)
    values = form_values(client.get(page_url).content.decode(), save_url)
    del values["version"]
    response = client.post(save_url, {**values, "dcc_reference": "DCC-1"})
    assert response.status_code == 400
    assert "Ce formulaire est incomplet : rechargez la page du parcours." in (
        response.content.decode()
    )
    pathway.refresh_from_db()
    assert pathway.dcc_reference == ""


def _api(pathway):
    return f"/api/v1/pathways/{pathway.pk}"


def test_the_api_refuses_a_stale_if_match_with_412_and_keeps_the_first_change(
    pathway, coordinator, marie
):
    hers, mine = session_of(marie), session_of(coordinator)
    etag = mine.get(_api(pathway)).headers["ETag"]
    her_etag = hers.get(_api(pathway)).headers["ETag"]
    assert etag == her_etag == f'"v{pathway.version}"'

    first = hers.patch(
        _api(pathway),
        {"pps_reference": "PPS-2"},
        content_type="application/json",
        headers={"If-Match": her_etag},
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"v{pathway.version + 1}"'
    assert first.json()["version"] == pathway.version + 1
    second = mine.patch(
        _api(pathway),
        {"pps_reference": "PPS-3"},
        content_type="application/json",
        headers={"If-Match": etag},
    )

    assert second.status_code == 412
    body = second.json()
    assert body["detail"].startswith(
        "Pendant votre modification, Marie Dupont a changé ce parcours"
    )
    assert body["errors"] == [
        {
            "field": "pps_reference",
            "message": "PPS (lien ou référence) : maintenant « PPS-2 »",
            "type": "conflict",
        }
    ]
    pathway.refresh_from_db()
    assert pathway.pps_reference == "PPS-2"
    assert AuditEntry.objects.filter(
        action="pathway.update_conflict",
        target_id=str(pathway.pk),
        actor_label=coordinator.username,
    ).exists()


def test_the_api_refuses_a_stale_version_field_with_409(pathway, coordinator, marie):
    version = pathway.version
    first = session_of(marie).patch(
        _api(pathway),
        {"cancer_site": "breast", "version": version},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = session_of(coordinator).patch(
        _api(pathway), {"cancer_site": "lung", "version": version}, content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["errors"][0]["message"] == "Localisation du cancer : maintenant « Sein »"
    assert Pathway.objects.get(pk=pathway.pk).cancer_site == "breast"


def test_an_unreadable_if_match_saves_nothing(pathway, coordinator):
    response = session_of(coordinator).patch(
        _api(pathway),
        {"pps_reference": "X"},
        content_type="application/json",
        headers={"If-Match": "3"},
    )
    assert response.status_code == 412
    assert "If-Match illisible" in response.json()["detail"]
    assert Pathway.objects.get(pk=pathway.pk).pps_reference == "PPS-1"


def test_the_outsider_cannot_learn_a_pathway_version(pathway, outsider):
    assert session_of(outsider).get(_api(pathway)).status_code == 404
