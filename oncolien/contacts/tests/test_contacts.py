"""The contacts after the announcement: curated by the CPTS's coordinators only, read by
its professionals, printed as an A4 sheet."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.contacts.demo import load_demo_contacts
from oncolien.contacts.kinds import KINDS_FILE, KindsError, validate_kinds
from oncolien.contacts.models import AnnouncementContact
from oncolien.contacts.services import contact_save
from tests.pdf import flat_pdf_text

VALUES = {
    "kind": "announcement_nurse",
    "name": "Infirmière d'annonce, Mme Durand",
    "establishment": "Clinique de Castres",
    "phone": "0536492002",
    "email": "annonce@clinique.invalid",
    "hours": "du lundi au vendredi, 9 h – 17 h",
    "position": "20",
}


@pytest.fixture
def contact(coordinator, nord_aveyron):
    return contact_save(
        actor=coordinator,
        cpts=nord_aveyron,
        kind="day_hospital",
        name="Hôpital de jour d'oncologie",
        establishment="Centre hospitalier de Rodez",
        phone="05 36 49 21 01",
        hours="du lundi au vendredi, 9 h – 17 h",
        position=10,
    )


def test_the_coordinator_adds_a_contact_shown_in_order(login, coordinator, nord_aveyron, contact):
    client = login(coordinator)
    response = client.post(reverse("contacts:create", args=[nord_aveyron.slug]), VALUES)
    assert response.status_code == 302
    added = AnnouncementContact.objects.get(kind="announcement_nurse")
    assert added.phone == "05 36 49 20 02"  # the national format
    assert added.updated_by == coordinator
    assert AuditEntry.objects.filter(
        action="announcement_contact.create", target_id=str(added.pk)
    ).exists()
    page = client.get(reverse("contacts:list", args=[nord_aveyron.slug])).content.decode()
    page = page[page.index("<table") :]
    assert page.index("Hôpital de jour d&#x27;oncologie") < page.index("Mme Durand")
    assert "Infirmier·ère de la consultation d&#x27;annonce" in page


def test_bad_input_gets_french_errors_and_changes_nothing(login, coordinator, nord_aveyron):
    response = login(coordinator).post(
        reverse("contacts:create", args=[nord_aveyron.slug]),
        {**VALUES, "kind": "nope", "phone": "12", "establishment": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "rien n'a été enregistré" in page
    assert not AnnouncementContact.objects.exists()
    with pytest.raises(ValidationError) as raised:
        contact_save(actor=coordinator, cpts=nord_aveyron, **{**VALUES, "phone": "abc"})
    assert "Numéro de téléphone invalide" in str(raised.value)


def test_a_short_number_is_accepted(coordinator, nord_aveyron):
    saved = contact_save(
        actor=coordinator, cpts=nord_aveyron, **{**VALUES, "kind": "emergency_line", "phone": "15"}
    )
    assert saved.phone == "15"


def test_another_cpts_cannot_curate(login, outsider, nord_aveyron, contact):
    client = login(outsider)
    assert client.get(reverse("contacts:manage", args=[nord_aveyron.slug])).status_code == 404
    assert (
        client.post(reverse("contacts:create", args=[nord_aveyron.slug]), VALUES).status_code == 404
    )
    edit = client.post(reverse("contacts:edit", args=[contact.pk]), {**VALUES, "name": "Pirate"})
    assert edit.status_code == 404
    assert client.post(reverse("contacts:delete", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Hôpital de jour d'oncologie"
    assert AnnouncementContact.objects.count() == 1
    assert client.get(reverse("contacts:list", args=[nord_aveyron.slug])).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).count() == 5


def test_a_nurse_reads_the_list_but_does_not_curate(login, community_nurse, nord_aveyron, contact):
    client = login(community_nurse)
    page = client.get(reverse("contacts:list", args=[nord_aveyron.slug]))
    assert page.status_code == 200
    assert reverse("contacts:manage", args=[nord_aveyron.slug]) not in page.content.decode()
    assert client.get(reverse("contacts:manage", args=[nord_aveyron.slug])).status_code == 404


def test_the_coordinator_edits_and_removes(login, coordinator, contact):
    client = login(coordinator)
    response = client.post(
        reverse("contacts:edit", args=[contact.pk]), {**VALUES, "name": "HDJ oncologie"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "HDJ oncologie"
    assert client.post(reverse("contacts:delete", args=[contact.pk])).status_code == 302
    assert not AnnouncementContact.objects.exists()


def test_the_printed_sheet_lists_the_contacts(login, physician, nord_aveyron, contact):
    response = login(physician).get(reverse("contacts:sheet_pdf", args=[nord_aveyron.slug]))
    assert response.status_code == 200
    text = flat_pdf_text(response.content)
    assert "Qui appeler après l'annonce" in text
    assert "CPTS Nord Aveyron" in text
    # A table: pdftotext lays its columns side by side, a cell's lines interleaved.
    for words in ("Hôpital de jour", "Centre hospitalier", "Rodez", "05 36 49 21 01"):
        assert words in text, words
    assert "du lundi au vendredi, 9" in text
    assert "Édition du" in text


def test_the_kinds_file_is_validated_as_a_whole():
    data = json.loads(KINDS_FILE.read_text(encoding="utf-8"))
    assert validate_kinds(data).label("coordination_3c").endswith("(3C)")
    broken = copy.deepcopy(data)
    broken["kinds"].append({"code": "day_hospital", "label": "Doublon"})
    broken["kinds"].append({"code": "x", "label": ""})
    broken.pop("version")
    with pytest.raises(KindsError) as raised:
        validate_kinds(broken)
    assert len(raised.value.errors) == 3


def test_the_demo_contacts_load_once(base_data):
    first = load_demo_contacts()
    assert first >= 5
    assert load_demo_contacts() == 0
    assert AnnouncementContact.objects.filter(cpts__slug="cpts-sud-tarn").count() == 5
