"""Moderation: only a coordinator of the CPTS publishes a contribution, or refuses it with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.directory.contributions import (
    contribution_accept,
    contribution_reject,
    contribution_submit,
    service_proposal,
)
from oncolien.directory.models import Organization, Service
from oncolien.directory.search.query import ServiceQuery, search_services
from oncolien.directory.selectors import services_public
from oncolien.directory.tests.curation.conftest import page_text

pytestmark = pytest.mark.django_db

NEW_OFFER = {
    "organization_name": "Marche Nordique Vallée du Lot",
    "organization_kind": "association",
    "name": "Marche nordique santé",
    "description": "Séances encadrées le mardi matin.",
    "care_types": ["physical_activity"],
    "professions": ["apa_teacher"],
    "for_patients": True,
    "for_relatives": False,
    "phase_diagnosis": False,
    "phase_treatment": True,
    "phase_after_treatment": True,
    "access": "direct",
    "cost": "free",
    "remaining_cost_amount": None,
    "cost_details": "",
    "is_home_service": False,
    "address": "Place du Foirail",
    "postal_code": "12500",
    "commune": "12096",
    "phone": "05 65 44 12 34",
    "email": "",
    "url": "",
}


def found(words: str) -> list[str]:
    return [r.service.name for r in search_services(ServiceQuery(words=words)).results]


@pytest.fixture
def new_offer(nord_aveyron):
    return contribution_submit(cpts=nord_aveyron, proposal=NEW_OFFER, client_ip="192.0.2.1")


@pytest.fixture
def correction(dietetics):
    proposal = {**service_proposal(dietetics), "phone": "05 65 48 00 11", "cost": "reimbursed"}
    return contribution_submit(
        service=dietetics, proposal=proposal, client_ip="192.0.2.2", message="Nouveau numéro."
    )


def test_a_pending_contribution_is_nowhere_public(client, new_offer):
    assert not services_public().filter(name="Marche nordique santé").exists()
    assert found("nordique") == []
    assert not Organization.objects.filter(name="Marche Nordique Vallée du Lot").exists()


def test_the_queue_lists_pending_contributions(login, coordinator, new_offer, correction):
    page = page_text(
        login(coordinator).get(
            reverse("directory:moderation", kwargs={"slug": "cpts-nord-aveyron"})
        )
    )
    assert "Marche nordique santé" in page
    assert "Consultations diététiques" in page
    assert page.count("Examiner") == 2


def test_a_correction_is_shown_field_by_field_next_to_the_current_values(
    login, coordinator, correction
):
    page = page_text(
        login(coordinator).get(
            reverse("directory:contribution_detail", kwargs={"pk": correction.pk})
        )
    )
    assert "Nouveau numéro." in page
    phone_row = page[page.index('<th scope="row">Téléphone</th>') :]
    phone_row = phone_row[: phone_row.index("</tr>")]
    assert "—" in phone_row and "05 65 48 00 11" in phone_row and "modifié" in phone_row
    cost_row = page[page.index('<th scope="row">Coût</th>') :]
    cost_row = cost_row[: cost_row.index("</tr>")]
    assert "Gratuit" in cost_row and "Remboursé par l'Assurance Maladie" in cost_row
    name_row = page[page.index('<th scope="row">Nom de l\'offre</th>') :]
    assert "identique" in name_row[: name_row.index("</tr>")]


def test_accepting_a_new_offer_publishes_it(login, coordinator, new_offer):
    response = login(coordinator).post(
        reverse("directory:contribution_accept", kwargs={"pk": new_offer.pk}),
        {
            **{k: v for k, v in NEW_OFFER.items() if v not in (False, None)},
            "for_patients": "on",
            "phase_treatment": "on",
            "phase_after_treatment": "on",
            "commune": "Espalion (12096)",
        },
    )
    assert response.status_code == 302

    new_offer.refresh_from_db()
    assert new_offer.status == "accepted"
    assert new_offer.decided_by == coordinator
    assert new_offer.decided_at is not None
    service = services_public().get(name="Marche nordique santé")
    assert new_offer.resulting_service == service
    assert service.organization.name == "Marche Nordique Vallée du Lot"
    assert service.organization.cpts.slug == "cpts-nord-aveyron"
    assert service.locations.get().commune.name == "Espalion"
    assert [c.code for c in service.care_types.all()] == ["physical_activity"]
    assert service.history.earliest().history_user == coordinator
    assert found("nordique") == ["Marche nordique santé"]
    assert AuditEntry.objects.filter(action="directory.contribution.accepted").exists()


def test_the_coordinator_edits_the_values_before_accepting(coordinator, new_offer, dietetics):
    edited = {**NEW_OFFER, "name": "Marche nordique (santé)", "cost": "remaining_cost"}
    edited["remaining_cost_amount"] = "5.00"
    accepted = contribution_accept(
        actor=coordinator,
        contribution=new_offer,
        proposal=edited,
        organization=dietetics.organization,
    )
    service = accepted.service
    assert service.name == "Marche nordique (santé)"
    assert str(service.remaining_cost_amount) == "5.00"
    # Attached to the chosen organisation; the contributor's own proposal is kept.
    assert service.organization == dietetics.organization
    assert not Organization.objects.filter(name="Marche Nordique Vallée du Lot").exists()
    new_offer.refresh_from_db()
    assert new_offer.proposal["name"] == "Marche nordique santé"


def test_accepting_a_correction_updates_the_service(coordinator, correction, dietetics):
    accepted = contribution_accept(actor=coordinator, contribution=correction)

    assert accepted.service == dietetics
    service = services_public().get(pk=dietetics.pk)
    assert (service.phone, service.cost) == ("05 65 48 00 11", "reimbursed")
    assert service.name == "Consultations diététiques"
    assert [c.code for c in service.care_types.all()] == ["nutrition"]
    correction.refresh_from_db()
    assert (correction.status, correction.resulting_service) == ("accepted", service)
    latest = service.history.latest()
    assert latest.history_user == coordinator


def test_a_correction_that_moves_the_place_updates_the_location(coordinator, dietetics):
    proposal = {**service_proposal(dietetics), "commune": "12119", "address": "Rue Principale"}
    contribution = contribution_submit(service=dietetics, proposal=proposal, client_ip="192.0.2.3")
    contribution_accept(actor=coordinator, contribution=contribution)
    location = dietetics.locations.get()
    assert (location.commune.name, location.address) == ("Laguiole", "Rue Principale")
    assert location.latitude == location.commune.latitude


def test_invalid_values_are_refused_in_french_and_nothing_changes(
    login, coordinator, correction, dietetics
):
    data = {
        **{k: v for k, v in service_proposal(dietetics).items() if v not in (False, None)},
        "for_patients": "on",
        "phase_diagnosis": "on",
        "phase_treatment": "on",
        "phase_after_treatment": "on",
        "name": "",
        "phone": "pas un numéro",
    }
    response = login(coordinator).post(
        reverse("directory:contribution_accept", kwargs={"pk": correction.pk}), data
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in page
    assert "Numéro de téléphone invalide" in page
    correction.refresh_from_db()
    assert correction.status == "pending"
    dietetics.refresh_from_db()
    assert dietetics.phone == ""


def test_a_name_already_taken_is_refused_by_the_service_and_nothing_is_created(
    coordinator, new_offer, dietetics
):
    edited = {**NEW_OFFER, "name": "Consultations diététiques"}
    with pytest.raises(ValidationError):
        contribution_accept(
            actor=coordinator,
            contribution=new_offer,
            proposal=edited,
            organization=dietetics.organization,
        )
    new_offer.refresh_from_db()
    assert new_offer.status == "pending"
    assert Service.objects.filter(name="Consultations diététiques").count() == 1


def test_rejecting_needs_a_reason(login, coordinator, new_offer):
    client = login(coordinator)
    url = reverse("directory:contribution_reject", kwargs={"pk": new_offer.pk})

    response = client.post(url, {"reason": "   "})
    assert "Indiquez le motif du refus" in page_text(response)
    new_offer.refresh_from_db()
    assert new_offer.status == "pending"

    client.post(url, {"reason": "Offre hors du territoire de la CPTS."})
    new_offer.refresh_from_db()
    assert new_offer.status == "rejected"
    assert new_offer.decision_reason == "Offre hors du territoire de la CPTS."
    assert new_offer.decided_by == coordinator
    assert new_offer.resulting_service is None
    assert not services_public().filter(name="Marche nordique santé").exists()
    assert found("nordique") == []


def test_the_domain_refuses_an_empty_reason_too(coordinator, new_offer):
    with pytest.raises(ValidationError) as error:
        contribution_reject(actor=coordinator, contribution=new_offer, reason="")
    assert "motif du refus" in error.value.message_dict["reason"][0]


def test_a_decided_contribution_cannot_be_decided_again(coordinator, new_offer):
    contribution_reject(actor=coordinator, contribution=new_offer, reason="Doublon.")
    with pytest.raises(ValidationError, match="déjà été traitée"):
        contribution_accept(actor=coordinator, contribution=new_offer)
    assert not Service.objects.filter(name="Marche nordique santé").exists()


def test_an_outsider_cannot_moderate(login, outsider, new_offer):
    client = login(outsider)
    for name in ("contribution_detail", "contribution_accept", "contribution_reject"):
        method = client.get if name == "contribution_detail" else client.post
        response = method(reverse(f"directory:{name}", kwargs={"pk": new_offer.pk}))
        assert response.status_code == 404
    assert (
        AuditEntry.objects.filter(
            action="access.denied", actor_id=outsider.pk, details__permission="directory.moderate"
        ).count()
        == 3
    )
    with pytest.raises(AccessDenied):
        contribution_accept(actor=outsider, contribution=new_offer)
    new_offer.refresh_from_db()
    assert new_offer.status == "pending"
