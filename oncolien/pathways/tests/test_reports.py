import smtplib
import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.notifications.models import Delivery
from oncolien.pathways.models import VisitReport
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import (
    care_team_add,
    consent_record,
    monitoring_record_add,
    visit_add,
)
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(coordinating_nurse):
    """A home visit of Jeanne Martin with a feverish, painful sheet and two external members."""
    pathway = make_pathway(actor=coordinating_nurse, gp_name="Dr Paul Roux")
    care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="gp",
        name="Dr Paul Roux",
        email="paul.roux@medecin.invalid",
    )
    care_team_add(
        actor=coordinating_nurse, pathway=pathway, role="oncologist", name="Dr Anne Vidal"
    )
    visit = visit_add(
        actor=coordinating_nurse,
        pathway=pathway,
        kind="home",
        occurred_at=timezone.now() - timedelta(hours=2),
        duration_minutes=45,
        notes="Patiente fatiguée, entourée par sa fille.",
        needs_discussed=CareType.objects.filter(code__in=["nutrition", "pain"]),
    )
    monitoring_record_add(
        actor=coordinating_nurse,
        pathway=pathway,
        visit=visit,
        values={
            "temperature_c": "38,6",
            "pain_score": 7,
            "pain_location": "lombaires",
            "saturation_pct": 96,
            "systolic_bp": 128,
            "diastolic_bp": 76,
            "observations": "Appétit diminué depuis la dernière cure.",
        },
    )
    return visit


def members(visit, *roles):
    return list(visit.pathway.care_team.filter(role__in=roles))


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_the_coordinating_nurse_creates_a_report_for_chosen_members(
    visit, coordinating_nurse, login
):
    client = login(coordinating_nurse)
    url = reverse("pathways:report_create", kwargs={"visit_pk": visit.pk})
    page = client.get(url)
    assert "Dr Paul Roux — Médecin traitant (paul.roux@medecin.invalid)" in page.text
    gp, oncologist = members(visit, "gp")[0], members(visit, "oncologist")[0]

    response = client.post(url, {"recipients": [gp.pk, oncologist.pk]})

    report = VisitReport.objects.get()
    assert response.url == reverse("pathways:report_detail", kwargs={"pk": report.pk})
    assert set(report.recipients.all()) == {gp, oncologist}
    assert report.created_by == coordinating_nurse and report.sent_at is None
    entry = AuditEntry.objects.get(action="report.create")
    assert entry.details["report"] == report.pk


def test_a_report_needs_a_recipient_and_nothing_is_created_without_one(
    visit, coordinating_nurse, login
):
    url = reverse("pathways:report_create", kwargs={"visit_pk": visit.pk})
    response = login(coordinating_nurse).post(url, {})
    assert "Choisissez au moins un destinataire dans l&#x27;équipe de soins." in response.text
    assert not VisitReport.objects.exists()


def test_a_recipient_outside_the_care_team_is_refused(visit, coordinating_nurse):
    other = make_pathway(actor=coordinating_nurse, last_name="Bernard")
    stranger = care_team_add(
        actor=coordinating_nurse, pathway=other, role="gp", name="Dr Autre", email="a@b.invalid"
    )
    with pytest.raises(ValidationError) as error:
        report_create(actor=coordinating_nurse, visit=visit, recipients=[stranger])
    assert error.value.messages == [
        "Un destinataire ne fait pas partie de l'équipe de soins active."
    ]
    assert not VisitReport.objects.exists()


def test_the_pdf_shows_the_visit_the_sheet_with_its_alerts_and_the_author(
    visit, coordinating_nurse, login
):
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp", "oncologist")
    )
    response = login(coordinating_nurse).get(reverse("pathways:report_pdf", args=[report.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "Martin" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for expected in (
        "Compte-rendu de visite",
        "MARTIN Jeanne",
        "12 avril 1958",
        "Espalion",
        "Visite à domicile",
        "45 minutes",
        "Patiente fatiguée, entourée par sa fille.",
        "Appétit diminué depuis la dernière cure.",
        "Fièvre : 38,6 °C (seuil 38 °C).",
        "Douleur : EVA 7/10 (lombaires).",
        "Prise en charge diététique et nutritionnelle",
        "Prise en charge de la douleur",
        "Dr Paul Roux (Médecin traitant), Dr Anne Vidal (Oncologue)",
    ):
        assert expected in " ".join(lines), expected
    # The values that raised an alert are marked on their line, the others are not.
    assert "Température 38,6 °C ⚠ ALERTE" in lines
    assert "Douleur (EVA 0-10) 7/10 — lombaires ⚠ ALERTE" in lines
    assert "Saturation 96 %" in lines
    assert "Pression artérielle 128/76 mmHg" in lines
    assert any(line.startswith("Rédigé par Idec Test") for line in lines)
    assert AuditEntry.objects.filter(action="report.pdf", actor_id=coordinating_nurse.pk).exists()


def test_the_report_page_shows_the_report_and_is_audited(visit, coordinating_nurse, login):
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))
    page = login(coordinating_nurse).get(reverse("pathways:report_detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Fièvre : 38,6 °C (seuil 38 °C)." in page.text
    assert "Non envoyé" in page.text
    assert AuditEntry.objects.filter(action="report.read", actor_id=coordinating_nurse.pk).exists()


def test_sending_emails_each_recipient_with_an_address_the_pdf_attached(
    visit, coordinating_nurse, login, django_capture_on_commit_callbacks
):
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp", "oncologist")
    )
    client = login(coordinating_nurse)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pathways:report_send", args=[report.pk]), follow=True)

    assert len(mail.outbox) == 1  # the oncologist has no e-mail address
    message = mail.outbox[0]
    assert message.to == ["paul.roux@medecin.invalid"]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert "MARTIN Jeanne" in pdf_text(content)
    # The e-mail itself names no patient: only the attachment does.
    assert "Martin" not in message.subject + message.body and "Martin" not in name
    report.refresh_from_db()
    assert report.sent_at is not None
    assert "Compte-rendu envoyé à Dr Paul Roux." in response.text
    assert "Sans adresse électronique, non envoyé à : Dr Anne Vidal." in response.text
    entry = AuditEntry.objects.get(action="report.send")
    assert entry.details["skipped"] == [members(visit, "oncologist")[0].pk]


def test_an_objection_to_sharing_blocks_sending(visit, coordinating_nurse, login):
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))
    consent_record(
        actor=coordinating_nurse,
        pathway=visit.pathway,
        informed_on=date.today(),
        objects_to_sharing=True,
    )
    response = login(coordinating_nurse).post(
        reverse("pathways:report_send", args=[report.pk]), follow=True
    )
    assert "Envoi impossible : le patient s&#x27;est opposé au partage" in response.text
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.sent_at is None
    assert not AuditEntry.objects.filter(action="report.send").exists()


def test_sending_is_refused_when_no_recipient_has_an_email(visit, coordinating_nurse, login):
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=members(visit, "oncologist")
    )
    response = login(coordinating_nurse).post(
        reverse("pathways:report_send", args=[report.pk]), follow=True
    )
    assert "aucun destinataire de ce compte-rendu n&#x27;a d&#x27;adresse" in response.text
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.sent_at is None


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("report_create", "get"),
        ("report_create", "post"),
        ("report_detail", "get"),
        ("report_pdf", "get"),
        ("report_send", "post"),
    ],
)
@pytest.mark.parametrize("persona", ["outsider", "community_nurse"])
def test_someone_off_the_pathway_gets_404_on_each_report_page_and_is_audited(
    visit, coordinating_nurse, login, request, persona, name, method
):
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))
    user = request.getfixturevalue(persona)
    key = {"visit_pk": visit.pk} if name == "report_create" else {"pk": report.pk}
    url = reverse(f"pathways:{name}", kwargs=key)
    gp = members(visit, "gp")[0]

    response = getattr(login(user), method)(url, {"recipients": [gp.pk]})

    assert response.status_code == 404
    assert "MARTIN" not in response.text
    assert AuditEntry.objects.filter(
        action="access.denied", actor_id=user.pk, target_id=str(visit.pathway.pk)
    ).exists()
    assert VisitReport.objects.count() == 1 and mail.outbox == []


def test_a_missing_report_is_a_plain_404(coordinating_nurse, login):
    response = login(coordinating_nurse).get(reverse("pathways:report_detail", args=[999999]))
    assert response.status_code == 404


def test_the_pathway_page_leads_to_writing_and_reading_visit_reports(login, coordinating_nurse):
    from django.utils import timezone

    from oncolien.pathways.services import visit_add
    from oncolien.pathways.tests.factories import make_pathway

    pathway = make_pathway(actor=coordinating_nurse)
    visit = visit_add(
        actor=coordinating_nurse, pathway=pathway, kind="home", occurred_at=timezone.now()
    )
    html = login(coordinating_nurse).get(f"/parcours/{pathway.pk}/").content.decode()
    assert f'href="/parcours/comptes-rendus/visites/{visit.pk}/"' in html


class RefusingSmtpBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")


# The e-mails leave when report_send's transaction commits, during the request: only a
# transactional test sees the outcome the page reports.
@pytest.mark.django_db(transaction=True)
def test_a_failed_email_is_reported_as_failed_not_as_sent(
    settings, visit, coordinating_nurse, login
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSmtpBackend"
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))

    response = login(coordinating_nurse).post(
        reverse("pathways:report_send", args=[report.pk]), follow=True
    )

    assert "L&#x27;envoi du courriel a échoué pour : Dr Paul Roux." in response.text
    assert "Compte-rendu envoyé" not in response.text
    delivery = Delivery.objects.get(kind="visit_report.sent")
    assert (delivery.kind, delivery.outcome) == ("visit_report.sent", "failed")
