"""Coordinators curate their CPTS directory; everyone else finds no such pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.directory.models import Contribution, Organization, Service
from oncolien.directory.selectors import services_public
from oncolien.directory.tests.curation.conftest import page_text
from oncolien.reference.models import CareType, Profession

pytestmark = pytest.mark.django_db


def service_form_data(service: Service, **changes) -> dict:
    """The edit form of `service` as it is shown, with some fields changed."""
    data = {
        "name": service.name,
        "description": service.description,
        "care_types": [str(pk) for pk in service.care_types.values_list("pk", flat=True)],
        "professions": [str(pk) for pk in service.professions.values_list("pk", flat=True)],
        "access": service.access,
        "cost": service.cost,
        "remaining_cost_amount": "",
        "cost_details": service.cost_details,
        "locations": [str(pk) for pk in service.locations.values_list("pk", flat=True)],
        "communes_served": "",
        "email": service.email,
        "phone": service.phone,
        "url": service.url,
    }
    for name in ("for_patients", "for_relatives", "phase_diagnosis", "phase_treatment"):
        if getattr(service, name):
            data[name] = "on"
    if service.phase_after_treatment:
        data["phase_after_treatment"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_coordinator_builds_an_entry_from_the_pages(login, coordinator, nord_aveyron):
    client = login(coordinator)

    response = client.post(
        reverse("directory:organization_create", kwargs={"slug": nord_aveyron.slug}),
        {"name": "Association Vivre Après", "kind": "association", "phone": "05 65 44 12 34"},
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Association Vivre Après")
    assert organization.cpts == nord_aveyron
    assert organization.phone == "05 65 44 12 34"

    response = client.post(
        reverse("directory:location_create", kwargs={"organization_pk": organization.pk}),
        {"address": "3 rue du Pont-Vieux", "postal_code": "12500", "commune": "Espalion"},
    )
    assert response.status_code == 302
    location = organization.locations.get()
    assert location.commune.insee_code == "12096"
    assert (location.latitude, location.longitude) == (
        location.commune.latitude,
        location.commune.longitude,
    )

    response = client.post(
        reverse("directory:service_create", kwargs={"organization_pk": organization.pk}),
        {
            "name": "Groupe de parole",
            "care_types": [CareType.objects.get(code="support_groups").pk],
            "professions": [Profession.objects.get(code="psychologist").pk],
            "for_patients": "on",
            "for_relatives": "on",
            "phase_after_treatment": "on",
            "access": "direct",
            "cost": "association_funded",
            "locations": [location.pk],
        },
    )
    assert response.status_code == 302
    service = services_public().get(name="Groupe de parole")
    assert [c.code for c in service.care_types.all()] == ["support_groups"]
    assert list(service.locations.all()) == [location]
    assert service.history.earliest().history_user == coordinator
    manage = page_text(client.get(response["Location"]))
    assert "Groupe de parole" in manage
    assert "Offre « Groupe de parole » enregistrée." in manage


def test_an_edit_keeps_its_history_with_before_after_and_who(login, coordinator, dietetics):
    client = login(coordinator)
    psychological = CareType.objects.get(code="psychological")
    data = service_form_data(
        dietetics,
        name="Consultations de diététique",
        phone="05 65 48 00 11",
        care_types=[str(dietetics.care_types.get().pk), str(psychological.pk)],
    )

    response = client.post(reverse("directory:service_edit", kwargs={"pk": dietetics.pk}), data)
    assert response.status_code == 302

    page = page_text(client.get(reverse("directory:service_history", kwargs={"pk": dietetics.pk})))
    print(page[page.index("<h1") :])
    latest = page[page.index("Modification le") :]
    latest = latest[: latest.index("</table>")]
    assert "par Coordinatrice Test" in latest
    assert "Consultations diététiques" in latest and "Consultations de diététique" in latest
    assert "05 65 48 00 11" in latest
    assert "Prise en charge diététique et nutritionnelle, Prise en charge psychologique" in latest
    # What did not change is not listed.
    assert "Description" not in latest
    assert "Création" in page


def test_the_history_of_an_organisation_shows_its_changes(login, coordinator, dietetics):
    client = login(coordinator)
    organization = dietetics.organization
    client.post(
        reverse("directory:organization_edit", kwargs={"pk": organization.pk}),
        {"name": organization.name, "kind": "association", "email": "contact@example.org"},
    )
    page = page_text(
        client.get(reverse("directory:organization_history", kwargs={"pk": organization.pk}))
    )
    assert "Professionnel·le libéral·e" in page and "Association" in page
    assert "contact@example.org" in page
    assert "par Coordinatrice Test" in page


def test_the_manage_page_lists_entries_with_status_and_verification(
    login, coordinator, nord_aveyron, dietetics
):
    # A pending contribution is counted, never shown as an entry.
    Contribution.objects.create(
        cpts=nord_aveyron, kind="new", proposal={"name": "Proposée"}, sender_fingerprint="x"
    )
    page = page_text(
        login(coordinator).get(reverse("directory:manage", kwargs={"slug": nord_aveyron.slug}))
    )
    assert "Gérer l'annuaire de la CPTS Nord Aveyron" in page
    assert "Cabinet de diététique du Lot" in page
    assert "Consultations diététiques" in page
    assert "à vérifier" in page
    assert "1 contribution attend votre relecture" in page
    assert "Proposée" not in page


def test_marking_as_verified_clears_the_badge(login, coordinator, dietetics):
    client = login(coordinator)
    response = client.post(reverse("directory:service_verify", kwargs={"pk": dietetics.pk}))
    dietetics.refresh_from_db()
    assert dietetics.last_verified_on == timezone.localdate()
    assert not dietetics.needs_verification
    page = page_text(client.get(response["Location"]))
    assert "à vérifier" not in page
    assert f"vérifiée le {timezone.localdate():%d/%m/%Y}" in page


def test_an_entry_verified_over_a_year_ago_shows_a_verifier(login, coordinator, dietetics):
    Service.objects.filter(pk=dietetics.pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=400)
    )
    page = page_text(
        login(coordinator).get(reverse("directory:manage", kwargs={"slug": "cpts-nord-aveyron"}))
    )
    assert "à vérifier" in page


def test_deactivating_withdraws_from_the_public_directory_and_reactivating_restores(
    login, coordinator, dietetics
):
    client = login(coordinator)
    url = reverse("directory:service_status", kwargs={"pk": dietetics.pk})

    client.post(url, {"status": "inactive"})
    assert not services_public().filter(pk=dietetics.pk).exists()
    assert dietetics.history.latest().history_user == coordinator

    client.post(url, {"status": "active"})
    assert services_public().filter(pk=dietetics.pk).exists()


def test_an_invalid_siret_is_shown_in_french_and_nothing_is_saved(login, coordinator, nord_aveyron):
    response = login(coordinator).post(
        reverse("directory:organization_create", kwargs={"slug": nord_aveyron.slug}),
        {"name": "Cabinet Dupont", "kind": "self_employed", "siret": "12345678901234"},
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "rien n'a été enregistré" in page
    assert "SIRET/SIREN invalide : « 12345678901234 »" in page
    assert not Organization.objects.filter(name="Cabinet Dupont").exists()


def test_a_doubtful_rpps_key_is_saved_with_a_warning(login, coordinator, nord_aveyron):
    client = login(coordinator)
    response = client.post(
        reverse("directory:organization_create", kwargs={"slug": nord_aveyron.slug}),
        {"name": "Mme Diététicienne", "kind": "self_employed", "rpps": "10003381438"},
        follow=True,
    )
    assert "semble incorrecte : vérifiez le numéro" in page_text(response)
    assert Organization.objects.filter(name="Mme Diététicienne").exists()


def test_an_unknown_commune_is_a_clear_error(login, coordinator, dietetics):
    organization = dietetics.organization
    response = login(coordinator).post(
        reverse("directory:location_create", kwargs={"organization_pk": organization.pk}),
        {"address": "1 rue Haute", "commune": "Espalio"},
    )
    assert "Aucune commune ne s'appelle « Espalio »" in page_text(response)
    assert organization.locations.count() == 1


def test_a_commune_named_twice_is_found_with_its_postal_code(login, coordinator, dietetics):
    organization = dietetics.organization
    client = login(coordinator)
    url = reverse("directory:location_create", kwargs={"organization_pk": organization.pk})

    page = page_text(client.post(url, {"commune": "Castanet"}))
    assert "Plusieurs communes s'appellent « Castanet »" in page

    client.post(url, {"commune": "Castanet", "postal_code": "81150"})
    assert organization.locations.filter(commune__department__code="81").exists()


def test_a_service_with_no_care_type_is_refused_and_unchanged(login, coordinator, dietetics):
    data = service_form_data(dietetics, name="Renommée", care_types=[])
    response = login(coordinator).post(
        reverse("directory:service_edit", kwargs={"pk": dietetics.pk}), data
    )
    assert "Cochez au moins un soin de support." in page_text(response)
    dietetics.refresh_from_db()
    assert dietetics.name == "Consultations diététiques"


def test_a_remaining_cost_needs_its_amount(login, coordinator, dietetics):
    data = service_form_data(dietetics, cost="remaining_cost")
    response = login(coordinator).post(
        reverse("directory:service_edit", kwargs={"pk": dietetics.pk}), data
    )
    assert "Indiquez le montant du reste à charge." in page_text(response)
    dietetics.refresh_from_db()
    assert dietetics.cost == "free"


def test_communes_served_are_typed_by_name_or_insee_code(login, coordinator, dietetics):
    data = service_form_data(
        dietetics, is_home_service="on", communes_served="Laguiole, 12202\nInconnue-sur-Lot"
    )
    client = login(coordinator)
    url = reverse("directory:service_edit", kwargs={"pk": dietetics.pk})
    assert "Aucune commune ne s'appelle « Inconnue-sur-Lot »" in page_text(client.post(url, data))
    assert not dietetics.communes_served.exists()

    data["communes_served"] = "Laguiole, 12202"
    client.post(url, data)
    assert sorted(dietetics.communes_served.values_list("name", flat=True)) == [
        "Laguiole",
        "Rodez",
    ]


# --- Nobody else: an outsider gets 404 everywhere, and the refusal is audited.

PAGES = [
    ("directory:manage", "slug"),
    ("directory:organization_create", "slug"),
    ("directory:moderation", "slug"),
    ("directory:service_edit", "service"),
    ("directory:service_history", "service"),
    ("directory:organization_edit", "organization"),
    ("directory:organization_history", "organization"),
    ("directory:location_edit", "location"),
    ("directory:service_create", "organization_pk"),
]


def _url(name: str, key: str, service: Service) -> str:
    kwargs_by_key: dict[str, dict[str, object]] = {
        "slug": {"slug": "cpts-nord-aveyron"},
        "service": {"pk": service.pk},
        "organization": {"pk": service.organization_id},
        "organization_pk": {"organization_pk": service.organization_id},
        "location": {"pk": service.locations.get().pk},
    }
    return reverse(name, kwargs=kwargs_by_key[key])


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_an_outsider_gets_404_and_the_refusal_is_audited(login, outsider, dietetics, name, key):
    response = login(outsider).get(_url(name, key, dietetics))
    assert response.status_code == 404
    denial = AuditEntry.objects.filter(action="access.denied").latest("sequence")
    assert denial.actor == outsider
    assert denial.details["permission"] in {"directory.edit", "directory.moderate"}
    assert denial.target_type == "territories.cpts"


def test_an_outsider_cannot_deactivate_a_service(login, outsider, dietetics):
    response = login(outsider).post(
        reverse("directory:service_status", kwargs={"pk": dietetics.pk}), {"status": "inactive"}
    )
    assert response.status_code == 404
    assert services_public().filter(pk=dietetics.pk).exists()
    assert AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).exists()


def test_an_outsider_cannot_post_an_edit(login, outsider, dietetics):
    data = service_form_data(dietetics, name="Piratée")
    response = login(outsider).post(
        reverse("directory:service_edit", kwargs={"pk": dietetics.pk}), data
    )
    assert response.status_code == 404
    dietetics.refresh_from_db()
    assert dietetics.name == "Consultations diététiques"


def test_a_nurse_of_the_same_cpts_cannot_curate(login, coordinating_nurse, dietetics):
    response = login(coordinating_nurse).get(
        reverse("directory:manage", kwargs={"slug": "cpts-nord-aveyron"})
    )
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, dietetics):
    response = client.get(reverse("directory:manage", kwargs={"slug": "cpts-nord-aveyron"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
