"""The right of access (a JSON and a PDF of everything held, audit entries included,
prepared by the task queue, delivered to the coordinator who asked) and the
rectification of the identity (audited, in the export)."""

import json

import pytest

from oncolien.audit.models import AuditEntry
from oncolien.privacy.models import DataExport, Rectification
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db


def _export(client, pathway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/confidentialite/parcours/{pathway.pk}/exports/demander/")
    assert asked.status_code == 302
    return DataExport.objects.get()


def test_the_export_holds_everything_with_the_audit_trail(
    patient, coordinator, login, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    pathway = patient.pathway
    export = _export(client, pathway, django_capture_on_commit_callbacks)
    assert export.status == "ready", export.error
    page = client.get(f"/confidentialite/parcours/{pathway.pk}/exports/").content.decode()
    assert "prêt" in page

    answer = client.get(f"/confidentialite/parcours/{pathway.pk}/exports/{export.pk}/json/")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store, private"
    document = json.loads(answer.content)
    assert document["schema_version"] == "1.1"
    assert document["fuseau_horaire"] == "Europe/Paris"
    sections = {s["clé"]: s for s in document["sections"]}
    assert sections["patient"]["lignes"][0]["last_name"] == patient.last_name
    assert sections["patient"]["lignes"][0]["phone"] == patient.phone
    for key in (
        "visits",
        "monitoring_records",
        "alerts",
        "visit_reports",
        "assessments",
        "access_links",
        "referrals",
        "post_cancer_programmes",
        "programme_acts",
    ):
        assert sections[key]["lignes"], key
    assert "token_hash" not in sections["access_links"]["lignes"][0]
    assert any(m["destinataire"] == patient.email for m in sections["messages"]["lignes"])
    actions = {row["action"] for row in sections["audit"]["lignes"]}
    assert {
        "pathway.create",
        "pathway.visit",
        "assessment.link.open",
        "patient.export_request",
    } <= actions
    opened = next(r for r in sections["audit"]["lignes"] if r["action"] == "assessment.link.open")
    assert opened["adresse IP"] == "203.0.113.77"

    pdf = client.get(f"/confidentialite/parcours/{pathway.pk}/exports/{export.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = flat_pdf_text(pdf.content)
    assert f"Données détenues sur {patient.last_name.upper()} {patient.first_name}" in text
    assert "Export au titre du droit d'accès (RGPD, article 15)" in text
    assert "(heure de Paris)" in text
    assert "Journal d'audit : consultations et modifications de ces données" in text
    assert "Fiches de surveillance" in text
    assert (
        AuditEntry.objects.filter(action="patient.export_download", actor_id=coordinator.pk).count()
        == 2
    )


def test_an_export_is_delivered_only_to_who_asked(
    patient, coordinator, login, django_capture_on_commit_callbacks
):
    from oncolien.accounts.models import Membership, User

    client = login(coordinator)
    export = _export(client, patient.pathway, django_capture_on_commit_callbacks)
    other = User.objects.create_user(username="coordinatrice2.nord", password="x")
    Membership.objects.create(user=other, role="coordinator", cpts=patient.world.cpts)
    other_client = login(other)
    refused = other_client.get(
        f"/confidentialite/parcours/{patient.pathway.pk}/exports/{export.pk}/json/"
    )
    assert refused.status_code == 302  # back to the list, nothing given


def test_a_rectification_is_audited_and_shown_in_the_export(
    patient, coordinator, login, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    pathway = patient.pathway
    url = f"/confidentialite/parcours/{pathway.pk}/rectification/"
    form = client.get(url).content.decode()
    assert f'value="{patient.last_name}"' in form
    values = {
        "last_name": "Fabrègues",
        "first_name": patient.first_name,
        "birth_date": "1958-04-12",
        "sex": "F",
        "address": "",
        "phone": patient.phone,
        "ins": "",
        "gp_name": "",
    }
    refused = client.post(url, {**values, "reason": ""})
    assert refused.status_code == 400
    bad = client.post(url, {**values, "ins": "123", "reason": "erreur"})
    assert "INS / NIR invalide" in bad.content.decode()
    pathway.patient.refresh_from_db()
    assert pathway.patient.last_name == patient.last_name  # nothing changed
    done = client.post(url, {**values, "reason": "Nom mal orthographié à l'inclusion"})
    assert done.status_code == 302
    pathway.patient.refresh_from_db()
    assert pathway.patient.last_name == "Fabrègues"
    rectification = Rectification.objects.get()
    assert rectification.fields == ["address", "last_name"]
    entry = AuditEntry.objects.get(action="patient.rectify")
    assert entry.details["fields"] == ["address", "last_name"]
    assert "Fabrègues" not in json.dumps(entry.details)

    export = _export(client, pathway, django_capture_on_commit_callbacks)
    document = json.loads(bytes(export.__class__.objects.get(pk=export.pk).json_content))
    sections = {s["clé"]: s for s in document["sections"]}
    assert sections["rectifications"]["lignes"][0]["reason"] == "Nom mal orthographié à l'inclusion"
    assert "patient.rectify" in {r["action"] for r in sections["audit"]["lignes"]}
