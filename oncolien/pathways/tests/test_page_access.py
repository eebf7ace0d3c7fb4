"""Who sees which pathway page. Anyone who may not see a pathway gets a 404, as for
a page that does not exist, and the refusal is written to the audit trail."""

import pytest
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Alert, CareTeamMember, MonitoringRecord, Treatment, Visit
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


@pytest.fixture
def alert(pathway, coordinating_nurse):
    record = monitoring_record_add(
        actor=coordinating_nurse, pathway=pathway, values={"temperature_c": "39.2"}
    )
    return record.alerts.get()


def _pages(pathway, alert):
    """Every page and form address that shows or changes one pathway: (method, url, data)."""
    pk = {"pk": pathway.pk}
    member = pathway.care_team.get()
    return [
        ("get", reverse("pathways:pathway_detail", kwargs=pk), {}),
        ("get", reverse("pathways:visit_add", kwargs=pk), {}),
        ("get", reverse("pathways:record_add", kwargs=pk), {}),
        ("post", reverse("pathways:visit_add", kwargs=pk), {"kind": "home"}),
        ("post", reverse("pathways:record_add", kwargs=pk), {"temperature_c": "37"}),
        ("post", reverse("pathways:status_update", kwargs=pk), {"to_status": "included"}),
        ("post", reverse("pathways:details_update", kwargs=pk), {"cancer_site": "lung"}),
        ("post", reverse("pathways:treatment_add", kwargs=pk), {"kind": "surgery"}),
        ("post", reverse("pathways:consent_add", kwargs=pk), {"informed_on": "2026-01-01"}),
        ("post", reverse("pathways:team_contact_add", kwargs=pk), {"name": "X", "role": "gp"}),
        ("post", reverse("pathways:team_user_add", kwargs=pk), {"role": "gp"}),
        (
            "post",
            reverse("pathways:team_remove", kwargs={**pk, "member_pk": member.pk}),
            {},
        ),
        (
            "post",
            reverse("pathways:alert_acknowledge", kwargs={"alert_pk": alert.pk}),
            {"comment": "Vu."},
        ),
    ]


PAGE_NAMES = [
    "detail",
    "visit form",
    "sheet form",
    "visit post",
    "sheet post",
    "status",
    "details",
    "treatment",
    "consent",
    "team contact",
    "team user",
    "team remove",
    "acknowledge",
]


@pytest.mark.parametrize("persona", ["outsider", "regional"])
@pytest.mark.parametrize("index", range(len(PAGE_NAMES)), ids=PAGE_NAMES)
def test_outsiders_get_a_404_audited_and_change_nothing(
    request, persona, index, pathway, alert, login
):
    user = request.getfixturevalue(persona)
    method, url, data = _pages(pathway, alert)[index]
    response = getattr(login(user), method)(url, data)
    assert response.status_code == 404
    assert "MARTIN" not in response.content.decode()
    assert AuditEntry.objects.filter(actor=user, action="access.denied").exists()
    pathway.refresh_from_db()
    alert.refresh_from_db()
    assert pathway.status == "first_contact" and pathway.cancer_site == ""
    assert alert.acknowledged_at is None
    assert not Visit.objects.exists() and not Treatment.objects.exists()
    assert MonitoringRecord.objects.count() == 1
    assert CareTeamMember.objects.filter(active=True).count() == 1


def test_an_unknown_pathway_or_alert_is_a_404(coordinator, login):
    client = login(coordinator)
    assert client.get(reverse("pathways:pathway_detail", kwargs={"pk": 999999})).status_code == 404
    url = reverse("pathways:alert_acknowledge", kwargs={"alert_pk": 999999})
    assert client.post(url, {"comment": "Vu."}).status_code == 404


@pytest.mark.parametrize("page", ["pathways:worklist", "pathways:pathway_list"])
def test_the_outsider_lists_show_nothing_of_another_cpts(page, outsider, alert, login):
    response = login(outsider).get(reverse(page))
    assert response.status_code == 200
    page_text = response.content.decode()
    assert "MARTIN" not in page_text
    assert "Fièvre" not in page_text


@pytest.mark.parametrize("page", ["pathways:worklist", "pathways:pathway_list", "pathways:intake"])
def test_regional_staff_never_reach_the_patient_pages(page, regional, alert, login):
    response = login(regional).get(reverse(page))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(actor=regional, action="access.denied").exists()


def test_only_coordinators_and_coordinating_nurses_take_intake_calls(
    community_nurse, physician, coordinator, coordinating_nurse, login
):
    for user in (community_nurse, physician):
        assert login(user).get(reverse("pathways:intake")).status_code == 404
        assert AuditEntry.objects.filter(actor=user, action="access.denied").exists()
    for user in (coordinator, coordinating_nurse):
        assert login(user).get(reverse("pathways:intake")).status_code == 200


def test_a_community_nurse_sees_only_the_pathways_she_is_on(
    coordinating_nurse, community_nurse, login
):
    hers = make_pathway(actor=coordinating_nurse, last_name="Suivie")
    other = make_pathway(actor=coordinating_nurse, last_name="Autre")
    add_to_team(
        actor=coordinating_nurse, pathway=hers, user=community_nurse, role="community_nurse"
    )
    for pathway in (hers, other):
        monitoring_record_add(
            actor=coordinating_nurse, pathway=pathway, values={"temperature_c": "38.9"}
        )
    client = login(community_nurse)
    for page in ("pathways:worklist", "pathways:pathway_list"):
        text = client.get(reverse(page)).content.decode()
        assert "SUIVIE Jeanne" in text
        assert "AUTRE" not in text
    assert client.get(reverse("pathways:pathway_detail", kwargs={"pk": hers.pk})).status_code == 200
    assert (
        client.get(reverse("pathways:pathway_detail", kwargs={"pk": other.pk})).status_code == 404
    )
    other_alert = Alert.objects.get(pathway=other)
    response = client.post(
        reverse("pathways:alert_acknowledge", kwargs={"alert_pk": other_alert.pk}),
        {"comment": "Vu."},
    )
    assert response.status_code == 404
    other_alert.refresh_from_db()
    assert other_alert.acknowledged_at is None
    assert AuditEntry.objects.filter(actor=community_nurse, action="access.denied").exists()


def test_a_nurse_removed_from_the_team_loses_the_page(coordinating_nurse, community_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    member = add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    url = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})
    client = login(community_nurse)
    assert client.get(url).status_code == 200
    login(coordinating_nurse)  # same client: the nurse's session is replaced
    client.post(reverse("pathways:team_remove", kwargs={"pk": pathway.pk, "member_pk": member.pk}))
    login(community_nurse)
    assert client.get(url).status_code == 404


def test_pages_ask_anonymous_visitors_to_log_in(client, pathway):
    response = client.get(reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}))
    assert response.status_code == 302
    assert "/compte/connexion/" in response.url
