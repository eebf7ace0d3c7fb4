"""The pathways JSON API, persona by persona, through HTTP and the real services."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import (
    Alert,
    CareTeamMember,
    Consent,
    IntakeCall,
    MonitoringRecord,
    Pathway,
    Patient,
    StatusChange,
    Treatment,
    Visit,
)
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db

API = "/api/v1/pathways"
JSON = "application/json"


@pytest.fixture
def pathway(coordinating_nurse, community_nurse):
    """A Nord Aveyron pathway taken by the coordinating nurse, with the community nurse on it."""
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    return pathway


@pytest.fixture
def alert(pathway, community_nurse):
    record = monitoring_record_add(
        actor=community_nurse, pathway=pathway, values={"temperature_c": "38.6"}
    )
    return record.alerts.get()


def intake_body(**changes):
    body = {
        "cpts": "cpts-nord-aveyron",
        "patient": {
            "last_name": "Fabre",
            "first_name": "Lucie",
            "birth_date": "1961-06-03",
            "sex": "F",
            "commune": "12096",
            "phone": "0565000000",
        },
        "intake_channel": "phone_line",
        "first_contact_on": "2026-11-02",
        "informed_on": "2026-11-02",
    }
    patient = changes.pop("patient", {})
    body["patient"].update(patient)
    body.update(changes)
    return body


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    return {e["field"]: e["message"] for e in response.json()["errors"]}


# --- Authentication ---------------------------------------------------------------


def test_anonymous_gets_401(client, pathway):
    for response in (
        client.get(f"{API}/"),
        client.get(f"{API}/{pathway.pk}"),
        client.post(f"{API}/", intake_body(), content_type=JSON),
        client.get(f"{API}/alerts"),
    ):
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentification requise.", "errors": []}
    assert Pathway.objects.count() == 1


# --- List and intake ------------------------------------------------------------


def test_a_community_nurse_lists_only_the_pathways_she_is_on(
    login, pathway, coordinating_nurse, community_nurse
):
    make_pathway(actor=coordinating_nurse, last_name="Bonnet", first_name="Marc")

    nurse = login(community_nurse).get(f"{API}/")
    coordinator_nurse = login(coordinating_nurse).get(f"{API}/")

    assert [p["id"] for p in nurse.json()["results"]] == [pathway.pk]
    assert [p["patient"]["last_name"] for p in coordinator_nurse.json()["results"]] == [
        "Bonnet",
        "Martin",
    ]


def test_the_list_filters_by_name_and_status(login, pathway, coordinator, coordinating_nurse):
    make_pathway(actor=coordinating_nurse, last_name="Bonnet", first_name="Marc")
    client = login(coordinator)

    by_name = client.get(f"{API}/", {"search": "bonn"}).json()["results"]
    by_status = client.get(f"{API}/", {"status": "closed"}).json()["results"]

    assert [p["patient"]["last_name"] for p in by_name] == ["Bonnet"]
    assert by_status == []
    assert AuditEntry.objects.filter(action="pathway.list", actor=coordinator).count() == 2


def test_an_intake_call_creates_the_pathway(login, coordinating_nurse):
    response = login(coordinating_nurse).post(f"{API}/", intake_body(), content_type=JSON)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["patient"]["last_name"] == "Fabre"
    assert data["patient"]["commune"] == {"insee_code": "12096", "name": "Espalion"}
    assert data["status"] == {"code": "first_contact", "label": "Premier contact"}
    assert data["phase"]["code"] == "diagnosis"
    assert [m["username"] for m in data["care_team"]] == ["idec.nord"]
    assert data["consent"]["informed_on"] == "2026-11-02"
    assert data["sharing_allowed"] is True


def test_an_intake_outside_the_territory_names_the_covering_cpts(login, coordinating_nurse):
    response = login(coordinating_nurse).post(
        f"{API}/", intake_body(patient={"commune": "81065"}), content_type=JSON
    )

    message = (
        "La commune Castres (81) n'est pas dans le territoire de la CPTS Nord Aveyron ; "
        "elle est couverte par la CPTS Sud Tarn (cpts.sud@gmail.com) : orientez le patient "
        "vers elle."
    )
    assert errors_of(response) == {"patient.commune": message}
    assert response.json()["detail"] == message
    assert not Patient.objects.filter(last_name="Fabre").exists()
    # The call is counted all the same (« contacts vs patients followed »), with no identity.
    call = IntakeCall.objects.get()
    assert (call.outcome, call.commune.insee_code, call.pathway) == (
        "out_of_territory",
        "81065",
        None,
    )
    assert call.covering_cpts.slug == "cpts-sud-tarn" and call.recorded_by == coordinating_nurse


def test_an_intake_with_bad_values_is_refused_in_french(login, coordinating_nurse):
    client = login(coordinating_nurse)

    unknown_commune = client.post(
        f"{API}/", intake_body(patient={"commune": "99999"}), content_type=JSON
    )
    bad_ins = client.post(
        f"{API}/", intake_body(patient={"ins": "1 80 01 12 345 678 99"}), content_type=JSON
    )
    missing_date = client.post(f"{API}/", intake_body(first_contact_on=None), content_type=JSON)

    assert errors_of(unknown_commune) == {
        "patient.commune": "Aucune commune ne porte le code INSEE « 99999 »."
    }
    assert "INS / NIR invalide" in errors_of(bad_ins)["patient.ins"]
    assert missing_date.status_code == 422
    assert not Pathway.objects.exists()


# --- One pathway ----------------------------------------------------------------


def test_the_pathway_shows_patient_phase_cancer_team_treatments_and_consent(
    login, pathway, coordinating_nurse
):
    client = login(coordinating_nurse)
    client.patch(
        f"{API}/{pathway.pk}",
        {"cancer_site": "breast", "diagnosis_on": "2026-09-01"},
        content_type=JSON,
    )
    client.post(
        f"{API}/{pathway.pk}/treatments",
        {"kind": "chemotherapy", "started_on": "2026-10-01"},
        content_type=JSON,
    )

    data = client.get(f"{API}/{pathway.pk}").json()

    assert data["patient"]["first_name"] == "Jeanne"
    assert data["cancer"]["site"] == {"code": "breast", "label": "Sein"}
    assert data["phase"] == {"code": "treatment", "label": "Traitement actif (PPS)"}
    assert [t["kind"]["label"] for t in data["treatments"]] == ["Chimiothérapie"]
    assert {m["role"]["code"] for m in data["care_team"]} == {
        "coordinating_nurse",
        "community_nurse",
    }
    assert data["consent"]["objects_to_sharing"] is False
    assert AuditEntry.objects.filter(action="pathway.read", target_id=str(pathway.pk)).exists()


def test_an_unknown_pathway_is_404_in_french(login, coordinator):
    response = login(coordinator).get(f"{API}/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Ressource introuvable.", "errors": []}


def test_patch_refuses_inconsistent_dates_and_changes_nothing(login, pathway, coordinator):
    response = login(coordinator).patch(
        f"{API}/{pathway.pk}",
        {"diagnosis_on": "2026-09-01", "end_of_active_treatment_on": "2026-01-01"},
        content_type=JSON,
    )

    assert errors_of(response) == {
        "end_of_active_treatment_on": "La fin des traitements précède le diagnostic."
    }
    pathway.refresh_from_db()
    assert pathway.diagnosis_on is None


def test_patch_refuses_a_field_it_cannot_change(login, pathway, coordinator):
    response = login(coordinator).patch(
        f"{API}/{pathway.pk}", {"status": "closed"}, content_type=JSON
    )

    assert "status" in errors_of(response)
    pathway.refresh_from_db()
    assert pathway.status == "first_contact"


def test_status_follows_the_allowed_transitions(login, pathway, coordinator):
    client = login(coordinator)

    included = client.post(
        f"{API}/{pathway.pk}/status", {"to_status": "included"}, content_type=JSON
    )
    back = client.post(
        f"{API}/{pathway.pk}/status", {"to_status": "first_contact"}, content_type=JSON
    )
    closing = client.post(f"{API}/{pathway.pk}/status", {"to_status": "closed"}, content_type=JSON)

    assert included.json()["status"]["code"] == "included"
    assert errors_of(back) == {"": "Passage impossible de « Inclus » à « Premier contact »."}
    assert errors_of(closing) == {"closing_reason": "Indiquez le motif de clôture."}
    pathway.refresh_from_db()
    assert pathway.status == "included"


def test_an_objection_stops_sharing(login, pathway, coordinating_nurse):
    client = login(coordinating_nurse)

    response = client.post(
        f"{API}/{pathway.pk}/consent",
        {"informed_on": "2026-11-03", "objects_to_sharing": True},
        content_type=JSON,
    )
    future = client.post(
        f"{API}/{pathway.pk}/consent",
        {"informed_on": str(timezone.localdate() + timedelta(days=3))},
        content_type=JSON,
    )

    assert response.status_code == 201
    assert client.get(f"{API}/{pathway.pk}").json()["sharing_allowed"] is False
    assert errors_of(future) == {
        "informed_on": "La date d'information ne peut pas être dans le futur."
    }


def test_the_care_team_takes_an_account_of_the_cpts_or_an_external_contact(
    login, pathway, coordinator, physician, outsider
):
    client = login(coordinator)

    gp = client.post(
        f"{API}/{pathway.pk}/care-team",
        {"role": "gp", "username": physician.username},
        content_type=JSON,
    )
    oncologist = client.post(
        f"{API}/{pathway.pk}/care-team",
        {"role": "oncologist", "name": "Dr Roux", "email": "roux@chu.invalid"},
        content_type=JSON,
    )
    elsewhere = client.post(
        f"{API}/{pathway.pk}/care-team",
        {"role": "gp", "username": outsider.username},
        content_type=JSON,
    )
    unknown = client.post(
        f"{API}/{pathway.pk}/care-team", {"role": "gp", "username": "personne"}, content_type=JSON
    )

    assert gp.status_code == 201 and gp.json()["username"] == physician.username
    assert oncologist.status_code == 201 and oncologist.json()["username"] is None
    message = "Ce compte n'appartient pas à la CPTS du parcours."
    assert errors_of(elsewhere) == errors_of(unknown) == {"username": message}
    assert login(physician).get(f"{API}/{pathway.pk}").status_code == 200


def test_a_treatment_cannot_end_before_it_starts(login, pathway, coordinator):
    response = login(coordinator).post(
        f"{API}/{pathway.pk}/treatments",
        {"kind": "radiotherapy", "started_on": "2026-10-01", "ended_on": "2026-09-01"},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert not Treatment.objects.exists()


def test_a_treatment_ending_before_its_start_is_explained_on_the_end_date(
    login, pathway, coordinator
):
    response = login(coordinator).post(
        f"{API}/{pathway.pk}/treatments",
        {"kind": "radiotherapy", "started_on": "2026-10-01", "ended_on": "2026-09-01"},
        content_type=JSON,
    )

    assert errors_of(response) == {"ended_on": "La fin du traitement précède son début."}


# --- Visits and monitoring sheets ------------------------------------------------


def test_a_nurse_records_a_visit_and_lists_them(login, pathway, community_nurse):
    client = login(community_nurse)
    occurred = timezone.now() - timedelta(hours=1)

    created = client.post(
        f"{API}/{pathway.pk}/visits",
        {
            "kind": "home",
            "occurred_at": occurred.isoformat(),
            "duration_minutes": 45,
            "needs_discussed": ["nutrition", "pain"],
        },
        content_type=JSON,
    )
    listed = client.get(f"{API}/{pathway.pk}/visits").json()["results"]

    assert created.status_code == 201, created.content
    assert [v["id"] for v in listed] == [created.json()["id"]]
    assert listed[0]["kind"]["label"] == "Visite à domicile"
    assert {n["code"] for n in listed[0]["needs_discussed"]} == {"nutrition", "pain"}


def test_a_visit_in_the_future_or_with_an_unknown_need_is_refused(login, pathway, community_nurse):
    client = login(community_nurse)
    future = (timezone.now() + timedelta(days=1)).isoformat()

    in_future = client.post(
        f"{API}/{pathway.pk}/visits", {"kind": "home", "occurred_at": future}, content_type=JSON
    )
    unknown_need = client.post(
        f"{API}/{pathway.pk}/visits",
        {"kind": "phone", "occurred_at": timezone.now().isoformat(), "needs_discussed": ["yoga"]},
        content_type=JSON,
    )

    assert errors_of(in_future) == {"occurred_at": "La visite ne peut pas être dans le futur."}
    assert errors_of(unknown_need) == {"needs_discussed": "Soin(s) de support inconnu(s) : yoga."}
    assert not Visit.objects.exists()


def test_a_sheet_at_38_6_raises_exactly_one_fever_alert(login, pathway, community_nurse):
    response = login(community_nurse).post(
        f"{API}/{pathway.pk}/records",
        {"temperature_c": 38.6, "saturation_pct": 97, "pain_score": 2},
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["record"]["temperature_c"] == 38.6
    assert [a["rule"] for a in data["alerts"]] == ["fever"]
    assert data["alerts"][0]["severity"] == {"code": "high", "label": "Élevée"}
    assert data["alerts"][0]["message"] == "Fièvre : 38,6 °C (seuil 38 °C)."
    assert Alert.objects.filter(pathway=pathway).count() == 1


def test_out_of_range_values_are_refused_in_french_and_nothing_is_stored(
    login, pathway, community_nurse
):
    response = login(community_nurse).post(
        f"{API}/{pathway.pk}/records",
        {"temperature_c": 48, "saturation_pct": 101, "pain_score": 7.5},
        content_type=JSON,
    )

    assert errors_of(response) == {
        "temperature_c": "Valeur impossible pour la température : 48 °C "
        "(attendu entre 30 et 45 °C).",
        "saturation_pct": "Valeur impossible pour la saturation : 101 % (attendu entre 50 et 100 %).",
        "pain_score": "Un nombre entier est attendu pour l'EVA (douleur).",
    }
    assert not MonitoringRecord.objects.exists()
    assert not Alert.objects.exists()


def test_a_sheet_may_belong_only_to_a_visit_of_the_same_pathway(
    login, pathway, coordinating_nurse, community_nurse
):
    other = make_pathway(actor=coordinating_nurse, last_name="Bonnet")
    visit = Visit.objects.create(
        pathway=other, kind="home", occurred_at=timezone.now(), author=coordinating_nurse
    )

    response = login(community_nurse).post(
        f"{API}/{pathway.pk}/records", {"visit_id": visit.pk, "pulse_bpm": 80}, content_type=JSON
    )

    assert errors_of(response) == {"visit_id": "Cette visite n'existe pas dans ce parcours."}
    assert not MonitoringRecord.objects.exists()


def test_sheets_are_listed_newest_first_by_pages(login, pathway, community_nurse):
    now = timezone.now()
    for days in range(23):
        monitoring_record_add(
            actor=community_nurse,
            pathway=pathway,
            values={"pulse_bpm": 60 + days},
            recorded_at=now - timedelta(days=days),
        )
    client = login(community_nurse)

    first = client.get(f"{API}/{pathway.pk}/records").json()
    second = client.get(f"{API}/{pathway.pk}/records", {"page": 2}).json()

    assert (first["count"], first["page_size"], len(first["results"])) == (23, 20, 20)
    assert first["previous"] is None and first["next"].endswith("/records?page=2")
    assert second["next"] is None and second["previous"].endswith("/records?page=1")
    assert [r["pulse_bpm"] for r in first["results"][:3]] == [60, 61, 62]
    assert [r["pulse_bpm"] for r in second["results"]] == [80, 81, 82]


# --- Alerts and timeline ----------------------------------------------------------


def test_the_coordinating_nurse_sees_the_alert_and_acknowledges_it(
    login, alert, coordinating_nurse
):
    client = login(coordinating_nurse)

    worklist = client.get(f"{API}/alerts").json()
    without_comment = client.post(
        f"{API}/alerts/{alert.pk}/acknowledge", {"comment": "  "}, content_type=JSON
    )
    acknowledged = client.post(
        f"{API}/alerts/{alert.pk}/acknowledge",
        {"comment": "Appel du médecin traitant, paracétamol."},
        content_type=JSON,
    )
    again = client.post(
        f"{API}/alerts/{alert.pk}/acknowledge", {"comment": "Encore"}, content_type=JSON
    )

    assert [a["id"] for a in worklist["results"]] == [alert.pk]
    assert worklist["results"][0]["patient"]["last_name"] == "Martin"
    assert errors_of(without_comment) == {
        "comment": "Un commentaire est obligatoire pour prendre en compte l'alerte."
    }
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_by"] == coordinating_nurse.get_full_name()
    assert errors_of(again) == {"": "Cette alerte a déjà été prise en compte."}
    assert client.get(f"{API}/alerts").json()["results"] == []


def test_an_unknown_alert_is_404(login, coordinating_nurse):
    response = login(coordinating_nurse).post(
        f"{API}/alerts/999999/acknowledge", {"comment": "Vu"}, content_type=JSON
    )

    assert response.status_code == 404


def test_the_timeline_tells_the_story_newest_first(login, alert, coordinating_nurse):
    events = login(coordinating_nurse).get(f"{API}/{alert.pathway_id}/timeline").json()["results"]

    kinds = [e["kind"] for e in events]
    assert {"intake", "consent", "status", "record", "alert"} <= set(kinds)
    assert events == sorted(events, key=lambda e: e["at"], reverse=True)


# --- Outsiders: 404, the denial audited, nothing changed ---------------------------


def _endpoints(pathway_id: int, alert_id: int) -> list[tuple[str, str, dict | None]]:
    base = f"{API}/{pathway_id}"
    now = timezone.now().isoformat()
    return [
        ("get", base, None),
        ("patch", base, {"cancer_site": "lung"}),
        ("post", f"{base}/status", {"to_status": "included"}),
        ("post", f"{base}/consent", {"informed_on": "2026-11-03", "objects_to_sharing": True}),
        ("post", f"{base}/care-team", {"role": "oncologist", "name": "Dr Intrus"}),
        ("post", f"{base}/treatments", {"kind": "surgery"}),
        ("get", f"{base}/visits", None),
        ("post", f"{base}/visits", {"kind": "home", "occurred_at": now}),
        ("get", f"{base}/records", None),
        ("post", f"{base}/records", {"temperature_c": 39}),
        ("get", f"{base}/timeline", None),
        ("post", f"{API}/alerts/{alert_id}/acknowledge", {"comment": "Vu"}),
        ("post", f"{API}/", intake_body()),
    ]


def _state(pathway) -> tuple:
    pathway.refresh_from_db()
    return (
        pathway.status,
        pathway.cancer_site,
        Pathway.objects.count(),
        Patient.objects.count(),
        Consent.objects.count(),
        CareTeamMember.objects.count(),
        Treatment.objects.count(),
        Visit.objects.count(),
        MonitoringRecord.objects.count(),
        Alert.objects.filter(acknowledged_at__isnull=True).count(),
        StatusChange.objects.count(),
    )


ENDPOINT_NAMES = [
    "detail",
    "patch",
    "status",
    "consent",
    "care-team",
    "treatments",
    "visits (list)",
    "visits (add)",
    "records (list)",
    "records (add)",
    "timeline",
    "acknowledge",
    "intake",
]


@pytest.mark.parametrize("persona", ["outsider", "regional", "physician"])
@pytest.mark.parametrize("index", range(len(ENDPOINT_NAMES)), ids=ENDPOINT_NAMES)
def test_those_outside_the_pathway_get_404_and_the_denial_is_audited(
    request, login, alert, persona, index
):
    # The physician belongs to the CPTS but is not on this care team; the intake
    # endpoint is open to him only within his CPTS's roles, which he lacks.
    user = request.getfixturevalue(persona)
    pathway = alert.pathway
    method, url, body = _endpoints(pathway.pk, alert.pk)[index]
    before = _state(pathway)
    denials = AuditEntry.objects.filter(action="access.denied", actor=user).count()
    client = login(user)

    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, body, content_type=JSON)

    assert response.status_code == 404, (method, url, response.content)
    assert response.json() == {"detail": "Ressource introuvable.", "errors": []}
    assert AuditEntry.objects.filter(action="access.denied", actor=user).count() == denials + 1
    assert _state(pathway) == before


def test_the_worklist_of_other_users_does_not_show_the_alert(
    login, alert, outsider, regional, physician
):
    outsider_list = login(outsider).get(f"{API}/alerts").json()
    regional_response = login(regional).get(f"{API}/alerts")
    outsider_pathways = login(outsider).get(f"{API}/").json()

    assert outsider_list == {
        "count": 0,
        "page_size": 100,
        "next": None,
        "previous": None,
        "results": [],
        "escalated_count": 0,
        "escalated_alerts": [],
        "pathways_count": 0,
        "pathways": [],
    }
    assert regional_response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=regional).exists()
    assert outsider_pathways["results"] == []


def test_a_community_nurse_not_on_the_team_gets_404(login, coordinating_nurse, community_nurse):
    pathway = make_pathway(actor=coordinating_nurse)

    response = login(community_nurse).get(f"{API}/{pathway.pk}")

    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=community_nurse).exists()


# --- OpenAPI ----------------------------------------------------------------------


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths[f"{API}/"]) == {"get", "post"}
    assert set(paths[f"{API}/{{pathway_id}}"]) == {"get", "patch"}
    for suffix in ("status", "consent", "care-team", "treatments"):
        assert "post" in paths[f"{API}/{{pathway_id}}/{suffix}"]
    for suffix in ("visits", "records"):
        assert set(paths[f"{API}/{{pathway_id}}/{suffix}"]) == {"get", "post"}
    assert "get" in paths[f"{API}/{{pathway_id}}/timeline"]
    assert "get" in paths[f"{API}/alerts"]
    assert "post" in paths[f"{API}/alerts/{{alert_id}}/acknowledge"]


def test_the_sheet_list_costs_the_same_queries_whatever_the_alerts_shown(
    login, pathway, community_nurse
):
    client = login(community_nurse)

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/{pathway.pk}/records").status_code == 200
        return len(captured)

    monitoring_record_add(actor=community_nurse, pathway=pathway, values={"pulse_bpm": 70})
    with_one = queries_for_a_page()
    for _ in range(15):
        monitoring_record_add(
            actor=community_nurse, pathway=pathway, values={"temperature_c": "39", "pain_score": 8}
        )

    assert queries_for_a_page() == with_one
