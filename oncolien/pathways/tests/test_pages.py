"""The pathway pages, as the personas use them (real database, real services)."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import (
    Alert,
    CareTeamMember,
    MonitoringRecord,
    Pathway,
    Patient,
    Treatment,
    Visit,
)
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import add_to_team, make_pathway
from oncolien.pathways.tests.test_sheet_once import form_token

pytestmark = pytest.mark.django_db

WORKLIST = reverse("pathways:worklist")
INTAKE = reverse("pathways:intake")


def detail(pathway):
    return reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})


def intake_data(**overrides):
    data = {
        "last_name": "Bernard",
        "first_name": "Lucie",
        "birth_date": "1961-05-20",
        "sex": "F",
        "commune": "Espalion",
        "phone": "0565000000",
        "gp_name": "Dr Roux",
        "intake_channel": "phone_line",
        "referrer": "",
        "first_contact_on": timezone.localdate().isoformat(),
        "informed": "on",
    }
    data.update(overrides)
    return data


def fever(pathway, actor, temperature="38.6"):
    return monitoring_record_add(
        actor=actor, pathway=pathway, values={"temperature_c": temperature}
    )


# --- Worklist and patient list ---------------------------------------------------


def test_the_worklist_shows_an_open_alert_with_its_patient_and_a_link(
    coordinating_nurse, community_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    fever(pathway, community_nurse)
    page = login(coordinating_nurse).get(WORKLIST).content.decode()
    assert "<h1>Ma liste de travail</h1>" in page
    assert "MARTIN Jeanne" in page
    assert "Fièvre : 38,6 °C (seuil 38 °C)." in page
    assert "Élevée" in page
    assert f'href="{detail(pathway)}#alertes"' in page
    assert "escaladée" not in page


def test_an_escalated_alert_is_marked_on_the_worklist(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    fever(pathway, coordinating_nurse)
    Alert.objects.update(escalated_at=timezone.now())
    page = login(coordinating_nurse).get(WORKLIST).content.decode()
    assert "escaladée" in page
    assert "1 alerte a été transmise aux coordinateur·rices" in page


def test_the_worklist_runs_a_constant_number_of_queries(
    coordinating_nurse, login, django_assert_max_num_queries
):
    client = login(coordinating_nurse)
    pathway = make_pathway(actor=coordinating_nurse)
    fever(pathway, coordinating_nurse)
    # The header's counts (unread notifications, alerts to acknowledge) and who may
    # acknowledge the alerts shown are a fixed few queries more.
    with django_assert_max_num_queries(28) as few:
        client.get(WORKLIST)
    for index in range(12):
        other = make_pathway(actor=coordinating_nurse, last_name=f"Patient{index}")
        monitoring_record_add(
            actor=coordinating_nurse,
            pathway=other,
            values={"temperature_c": "39", "pain_score": 8, "saturation_pct": 88},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(WORKLIST)
    # 1 + 36 open alerts: the first page shows 25 of them and says how many there are.
    assert response.content.decode().count("Prendre en compte<span") == 25
    assert "37 alertes ouvertes — page 1 sur 2" in response.content.decode()


def test_the_patient_list_finds_a_patient_by_name(coordinator, login):
    make_pathway(actor=coordinator)
    make_pathway(actor=coordinator, last_name="Durand", first_name="Paul")
    client = login(coordinator)
    page = client.get(reverse("pathways:pathway_list"), {"q": "dur"}).content.decode()
    assert "DURAND Paul" in page
    assert "MARTIN Jeanne" not in page
    everyone = client.get(reverse("pathways:pathway_list")).content.decode()
    assert "2 parcours que vous pouvez voir" in everyone


# --- Intake ----------------------------------------------------------------------------


def test_a_coordinating_nurse_creates_a_pathway_from_an_intake_call(coordinating_nurse, login):
    response = login(coordinating_nurse).post(INTAKE, intake_data())
    pathway = Pathway.objects.get(patient__last_name="Bernard")
    assert response.status_code == 302
    assert response.url == detail(pathway)
    assert pathway.patient.commune.insee_code == "12096"
    assert pathway.consents.get().objects_to_sharing is False
    # The nurse who took the call joins the care team, and so does the GP named.
    assert pathway.care_team.get(role="coordinating_nurse").user == coordinating_nurse
    assert pathway.care_team.get(role="gp").name == "Dr Roux"


def test_intake_refuses_bad_input_in_french_and_saves_nothing(coordinating_nurse, login):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = login(coordinating_nurse).post(
        INTAKE,
        intake_data(birth_date=tomorrow, commune="Nulle-Part-sur-Mer", ins="1234", sex=""),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "rien n'a été enregistré" in page
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert "Aucune commune ne s&#x27;appelle « Nulle-Part-sur-Mer »" in page
    assert "Ce champ est obligatoire." in page
    assert not Patient.objects.exists()


def test_an_invalid_ins_is_refused_next_to_its_field(coordinating_nurse, login):
    response = login(coordinating_nurse).post(INTAKE, intake_data(ins="1 58 04 12 096 123 99"))
    assert "INS / NIR invalide" in response.content.decode()
    assert not Patient.objects.exists()


def test_a_nurse_is_told_which_cpts_covers_a_commune_outside_hers(coordinating_nurse, login):
    response = login(coordinating_nurse).post(INTAKE, intake_data(commune="81065"))
    page = response.content.decode()
    assert "n&#x27;est pas dans le territoire de la CPTS Nord Aveyron" in page
    assert "elle est couverte par la CPTS Sud Tarn" in page
    assert "Inclure malgré tout" not in page
    assert not Pathway.objects.exists()


def test_a_coordinator_includes_out_of_territory_with_a_reason(coordinator, login):
    client = login(coordinator)
    first = client.post(INTAKE, intake_data(commune="81065")).content.decode()
    assert "Inclure malgré tout" in first
    assert not Pathway.objects.exists()
    response = client.post(
        INTAKE,
        intake_data(commune="81065", out_of_territory_reason="Suivi par son aidante à Espalion."),
    )
    pathway = Pathway.objects.get()
    assert response.status_code == 302
    assert pathway.in_territory is False
    assert pathway.out_of_territory_reason == "Suivi par son aidante à Espalion."


# --- The pathway page --------------------------------------------------------------


def test_the_pathway_page_shows_identity_alerts_sheets_and_timeline(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse, gp_name="Dr Roux")
    fever(pathway, coordinating_nurse)
    page = login(coordinating_nurse).get(detail(pathway)).content.decode()
    assert page.count("<h1>") == 1
    assert "Parcours de MARTIN Jeanne" in page
    assert "Dr Roux" in page
    assert "Premier contact" in page
    assert "Phase diagnostique" in page
    assert "Fièvre : 38,6 °C" in page
    assert "<td>38,6</td>" in page
    assert "Fiche de surveillance" in page
    assert AuditEntry.objects.filter(
        action="pathway.read", actor=coordinating_nurse, target_id=str(pathway.pk)
    ).exists()


def test_the_pathway_page_runs_a_constant_number_of_queries(
    coordinating_nurse, login, django_assert_max_num_queries
):
    client = login(coordinating_nurse)
    pathway = make_pathway(actor=coordinating_nurse)
    fever(pathway, coordinating_nurse)
    with django_assert_max_num_queries(60) as few:
        client.get(detail(pathway))
    for _ in range(6):
        fever(pathway, coordinating_nurse, "39")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail(pathway))


def test_closing_a_pathway_needs_a_reason(coordinator, login):
    pathway = make_pathway(actor=coordinator)
    client = login(coordinator)
    url = reverse("pathways:status_update", kwargs={"pk": pathway.pk})
    response = client.post(url, {"to_status": "closed"})
    assert "Indiquez le motif de clôture." in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.status == "first_contact"
    client.post(url, {"to_status": "closed", "closing_reason": "moved"})
    pathway.refresh_from_db()
    assert (pathway.status, pathway.closing_reason) == ("closed", "moved")


def test_cancer_details_and_a_treatment_are_recorded(coordinator, login):
    pathway = make_pathway(actor=coordinator)
    client = login(coordinator)
    client.post(
        reverse("pathways:details_update", kwargs={"pk": pathway.pk}),
        {
            "cancer_site": "breast",
            "diagnosis_on": "2026-01-10",
            "pps_reference": "PPS-42",
            "version": pathway.version,
        },
    )
    pathway.refresh_from_db()
    assert (pathway.cancer_site, pathway.pps_reference) == ("breast", "PPS-42")
    url = reverse("pathways:treatment_add", kwargs={"pk": pathway.pk})
    bad = client.post(
        url, {"kind": "chemotherapy", "started_on": "2026-03-01", "ended_on": "2026-02-01"}
    )
    assert "La fin du traitement précède son début." in bad.content.decode()
    assert not Treatment.objects.exists()
    client.post(url, {"kind": "chemotherapy", "started_on": "2026-03-01"})
    assert "Traitement actif (PPS)" in client.get(detail(pathway)).content.decode()


def test_an_objection_is_recorded_and_shown(coordinator, login):
    pathway = make_pathway(actor=coordinator, phone="0600000000")
    client = login(coordinator)
    client.post(
        reverse("pathways:consent_add", kwargs={"pk": pathway.pk}),
        {"informed_on": date.today().isoformat(), "objects_to_sharing": "on"},
    )
    page = client.get(detail(pathway)).content.decode()
    assert "Le patient s&#x27;oppose au partage de ses données" in page
    pathway.patient.refresh_from_db()
    assert pathway.patient.phone == ""


def test_a_member_of_the_cpts_and_an_external_contact_join_and_leave_the_team(
    coordinating_nurse, community_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    client = login(coordinating_nurse)
    client.post(
        reverse("pathways:team_user_add", kwargs={"pk": pathway.pk}),
        {"user": community_nurse.pk, "role": "community_nurse"},
    )
    client.post(
        reverse("pathways:team_contact_add", kwargs={"pk": pathway.pk}),
        {"name": "Dr Oncologue", "role": "oncologist", "email": "onco@test.invalid"},
    )
    assert set(pathway.care_team.filter(active=True).values_list("name", flat=True)) == {
        "Idec Test",
        "Idel Test",
        "Dr Oncologue",
    }
    member = pathway.care_team.get(user=community_nurse)
    client.post(reverse("pathways:team_remove", kwargs={"pk": pathway.pk, "member_pk": member.pk}))
    member.refresh_from_db()
    assert member.active is False


def test_an_external_contact_needs_a_name(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    response = login(coordinating_nurse).post(
        reverse("pathways:team_contact_add", kwargs={"pk": pathway.pk}), {"role": "gp"}
    )
    assert "Ce champ est obligatoire." in response.content.decode()
    assert CareTeamMember.objects.count() == 1


def test_an_external_contact_gets_an_mssante_address_and_a_typed_other_one_is_refused(
    coordinating_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    client = login(coordinating_nurse)
    url = reverse("pathways:team_contact_add", kwargs={"pk": pathway.pk})
    response = client.post(
        url, {"name": "Dr Oncologue", "role": "oncologist", "mssante_address": "onco@gmail.com"}
    )
    assert (
        "Cette adresse n&#x27;est pas une adresse de messagerie sécurisée de santé"
        in response.content.decode()
    )
    assert CareTeamMember.objects.count() == 1
    client.post(
        url,
        {"name": "Dr Oncologue", "role": "oncologist", "mssante_address": "onco@chu.mssante.fr"},
    )
    assert pathway.care_team.get(role="oncologist").mssante_address == "onco@chu.mssante.fr"
    page = client.get(reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk}))
    assert "MSSanté : onco@chu.mssante.fr" in page.content.decode()


# --- Visits, sheets, alerts -------------------------------------------------------------


def test_a_visit_is_recorded(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    url = reverse("pathways:visit_add", kwargs={"pk": pathway.pk})
    client = login(coordinating_nurse)
    assert client.get(url).status_code == 200
    when = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        url,
        {"kind": "home", "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45},
    )
    assert response.status_code == 302
    assert Visit.objects.get().duration_minutes == 45


def test_a_visit_in_the_future_is_refused(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    when = timezone.localtime() + timedelta(days=2)
    response = login(coordinating_nurse).post(
        reverse("pathways:visit_add", kwargs={"pk": pathway.pk}),
        {"kind": "home", "occurred_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert "La visite ne peut pas être dans le futur." in response.content.decode()
    assert not Visit.objects.exists()


def test_the_sheet_form_groups_fields_as_on_paper_and_shows_ranges(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    page = (
        login(coordinating_nurse)
        .get(reverse("pathways:record_add", kwargs={"pk": pathway.pk}))
        .content.decode()
    )
    for legend in ("Constantes", "Troubles digestifs", "Surveillance de la voie d&#x27;abord"):
        assert f"<legend>{legend}</legend>" in page
    assert "Un nombre entre 30 et 45 °C." in page
    assert "Un nombre entier entre 0 et 10." in page


def test_a_sheet_with_fever_raises_an_alert_shown_as_a_message(
    coordinating_nurse, community_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    client = login(community_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    response = client.post(
        url,
        {
            "form_token": form_token(client.get(url).content.decode()),
            "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "temperature_c": "38,6",
            "vomiting": "none",
            "venous_access": "none",
            "pulse_regular": "true",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Fiche de surveillance enregistrée." in page
    assert "Fièvre : 38,6 °C (seuil 38 °C)." in page
    record = MonitoringRecord.objects.get()
    assert (str(record.temperature_c), record.pulse_regular) == ("38.6", True)
    assert record.alerts.get().rule == "fever"


def test_an_impossible_sheet_is_refused_in_french_and_nothing_is_stored(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    client = login(coordinating_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    response = client.post(
        url,
        {
            "form_token": form_token(client.get(url).content.decode()),
            "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "temperature_c": "52",
            "pain_score": "7.5",
            "saturation_pct": "abc",
            "vomiting": "refractory",
            "venous_access": "none",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Valeur impossible pour la température : 52 °C (attendu entre 30 et 45 °C)." in page
    assert "Un nombre entier est attendu pour l&#x27;EVA (douleur)." in page
    assert "Un nombre est attendu pour la saturation." in page
    assert not MonitoringRecord.objects.exists()
    assert not Alert.objects.exists()


def test_acknowledging_an_alert_from_the_worklist_needs_a_comment(coordinating_nurse, login):
    pathway = make_pathway(actor=coordinating_nurse)
    alert = fever(pathway, coordinating_nurse).alerts.get()
    client = login(coordinating_nurse)
    url = reverse("pathways:alert_acknowledge", kwargs={"alert_pk": alert.pk})
    refused = client.post(url, {"comment": "  ", "next": WORKLIST})
    assert "Un commentaire est obligatoire pour prendre en compte l&#x27;alerte." in (
        refused.content.decode()
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    response = client.post(url, {"comment": "Patiente appelée, paracétamol.", "next": WORKLIST})
    assert response.status_code == 302 and response.url == WORKLIST
    alert.refresh_from_db()
    assert alert.acknowledged_by == coordinating_nurse
    assert alert.acknowledgement_comment == "Patiente appelée, paracétamol."
    assert "Aucune alerte ouverte." in client.get(WORKLIST).content.decode()


def test_every_id_of_the_pathway_page_is_unique_so_labels_point_at_their_field(
    coordinating_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    fever(pathway, coordinating_nurse)
    page = login(coordinating_nurse).get(detail(pathway)).content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert ids[target] == 1, target
