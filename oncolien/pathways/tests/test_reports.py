from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.notifications.models import Delivery
from oncolien.pathways.models import CareTeamMember, Pathway, Visit, VisitReport
from oncolien.pathways.reports import (
    render_report_pdf,
    report_content,
    report_create,
    report_for,
    secure_message_body,
)
from oncolien.pathways.services import (
    care_team_add,
    consent_record,
    monitoring_record_add,
    visit_add,
)
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals.services import Answer, referral_create, referral_transition
from tests.mss_server import configured_server, make_certificates, mss_settings, start_server
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


GP_MSS = "paul.roux@medecin.mssante.fr"


@pytest.fixture
def visit(coordinating_nurse):
    """A home visit of Jeanne Martin with a feverish, painful sheet. Her GP, given at
    intake, has an MSSanté address; the oncologist is an external contact with only
    an ordinary e-mail address."""
    pathway = make_pathway(
        actor=coordinating_nurse,
        gp_name="Dr Paul Roux",
        gp_phone="05 65 44 00 00",
        gp_mssante_address=GP_MSS,
    )
    care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="oncologist",
        name="Dr Anne Vidal",
        email="anne.vidal@chu.invalid",
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


def get_pdf(client, report, capture):
    """The PDF as the nurse downloads it: the first request queues the render (the suite
    runs tasks at once, when the request's transaction commits), the next one gets it."""
    url = reverse("pathways:report_pdf", args=[report.pk])
    with capture(execute=True):
        first = client.get(url)
    assert "PDF en préparation" in first.text
    return client.get(url)


def test_the_coordinating_nurse_creates_a_report_for_chosen_members(
    visit, coordinating_nurse, login
):
    client = login(coordinating_nurse)
    url = reverse("pathways:report_create", kwargs={"visit_pk": visit.pk})
    page = client.get(url)
    assert f"Dr Paul Roux — Médecin traitant (MSSanté : {GP_MSS})" in page.text
    assert "Dr Anne Vidal — Oncologue (ni MSSanté ni compte OncoLien)" in page.text
    gp, oncologist = members(visit, "gp")[0], members(visit, "oncologist")[0]

    response = client.post(
        url, {"recipients": [gp.pk, oncologist.pk], "conclusion": "Revoir dans 8 jours."}
    )

    report = VisitReport.objects.get()
    assert report.conclusion == "Revoir dans 8 jours."
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
    visit, coordinating_nurse, login, django_capture_on_commit_callbacks
):
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp", "oncologist")
    )
    response = get_pdf(login(coordinating_nurse), report, django_capture_on_commit_callbacks)

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


# --- Sending: health data only by secure health messaging ------------------------------


@pytest.fixture
def team_nurse(visit, coordinating_nurse, community_nurse):
    """The community nurse, an OncoLien user, on the care team."""
    return care_team_add(
        actor=coordinating_nurse,
        pathway=visit.pathway,
        role="community_nurse",
        user=community_nurse,
    )


def _send(client, report, capture):
    """Send, let the messages leave (on commit), then read the page the nurse lands on."""
    with capture(execute=True):
        response = client.post(reverse("pathways:report_send", args=[report.pk]))
    return client.get(response.url)


INTAKE = {
    "last_name": "Bernard",
    "first_name": "Lucie",
    "birth_date": "1961-05-20",
    "sex": "F",
    "commune": "Espalion",
    "gp_name": "Dr Paul Roux",
    "intake_channel": "gp",
    "first_contact_on": "2026-11-02",
}


def test_the_gp_given_at_intake_is_a_care_team_contact(visit):
    [gp] = members(visit, "gp")
    assert (gp.name, gp.phone, gp.mssante_address) == ("Dr Paul Roux", "05 65 44 00 00", GP_MSS)
    assert gp.user is None and gp.active


def test_the_intake_page_takes_the_gps_phone_and_mssante_address(coordinating_nurse, login):
    response = login(coordinating_nurse).post(
        reverse("pathways:intake"),
        INTAKE | {"gp_phone": "05 65 44 00 00", "gp_mssante_address": GP_MSS},
    )
    assert response.status_code == 302
    gp = CareTeamMember.objects.get(role="gp")
    assert (gp.name, gp.mssante_address) == ("Dr Paul Roux", GP_MSS)


def test_a_typed_address_outside_mssante_is_refused_and_nothing_is_created(
    coordinating_nurse, login
):
    response = login(coordinating_nurse).post(
        reverse("pathways:intake"),
        INTAKE | {"gp_mssante_address": "paul.roux@gmail.com"},
    )
    assert response.status_code == 400
    assert (
        "Cette adresse n&#x27;est pas une adresse de messagerie sécurisée de santé (MSSanté)"
        in response.text
    )
    assert not CareTeamMember.objects.filter(role="gp").exists()
    assert not Pathway.objects.exists()


def test_a_care_team_contact_with_a_non_mssante_address_is_refused(visit, coordinating_nurse):
    with pytest.raises(ValidationError) as error:
        care_team_add(
            actor=coordinating_nurse,
            pathway=visit.pathway,
            role="oncologist",
            name="Dr Léa Blanc",
            mssante_address="lea.blanc@chu.invalid",
        )
    assert "mssante_address" in error.value.message_dict
    assert not visit.pathway.care_team.filter(name="Dr Léa Blanc").exists()


def test_without_secure_messaging_the_report_never_leaves_by_email(
    visit,
    coordinating_nurse,
    community_nurse,
    team_nurse,
    login,
    django_capture_on_commit_callbacks,
):
    report = report_create(
        actor=coordinating_nurse,
        visit=visit,
        recipients=[*members(visit, "gp", "oncologist"), team_nurse],
    )

    response = _send(login(coordinating_nurse), report, django_capture_on_commit_callbacks)

    # The one message is the notice in OncoLien to the user: a link, no patient, no PDF.
    assert mail.outbox == []
    notice = Delivery.objects.get(kind="visit_report.notice")
    assert (notice.channel, notice.recipient_user, notice.outcome) == (
        "app",
        community_nurse,
        "sent",
    )
    assert notice.link == f"/parcours/comptes-rendus/{report.pk}/"
    assert "Martin" not in notice.subject and "MARTIN" not in notice.subject
    # The GP (MSSanté address, but no secure messaging configured) and the oncologist
    # (an ordinary e-mail address) get nothing, and the page says so.
    assert "paul.roux" not in str([m.to for m in mail.outbox])
    assert "anne.vidal@chu.invalid" not in str([m.to for m in mail.outbox])
    text = " ".join(response.text.split())
    assert "Idel Test : notification dans OncoLien." in text
    assert (
        "Dr Paul Roux : non envoyé : aucune messagerie sécurisée de santé n&#x27;est "
        "configurée et ce destinataire n&#x27;a pas de compte OncoLien." in text
    )
    assert "Dr Anne Vidal : non envoyé : aucune messagerie sécurisée" in text
    assert not Delivery.objects.filter(channel="email", kind="visit_report.sent").exists()


def test_without_any_channel_sending_is_refused_and_nothing_changes(
    visit, coordinating_nurse, login, django_capture_on_commit_callbacks
):
    report = report_create(
        actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp", "oncologist")
    )
    response = _send(login(coordinating_nurse), report, django_capture_on_commit_callbacks)

    assert "Envoi impossible : aucune messagerie sécurisée de santé n&#x27;est configurée" in (
        response.text
    )
    assert mail.outbox == [] and not Delivery.objects.filter(kind__startswith="visit_report")
    report.refresh_from_db()
    assert report.sent_at is None and report.sending == []
    assert "Envoyé le" not in response.text
    assert not AuditEntry.objects.filter(action="report.send").exists()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("mss-certificates"))


@pytest.fixture
def mss_server(certificates, settings):
    with configured_server(certificates, settings) as server:
        yield server


def test_with_secure_messaging_the_gp_receives_the_pdf_at_the_mssante_address(
    visit,
    coordinating_nurse,
    team_nurse,
    login,
    mss_server,
    django_capture_on_commit_callbacks,
):
    report = report_create(
        actor=coordinating_nurse,
        visit=visit,
        recipients=[*members(visit, "gp", "oncologist"), team_nurse],
        conclusion="Fièvre à surveiller, revoir dans 48 heures.",
    )

    response = _send(login(coordinating_nurse), report, django_capture_on_commit_callbacks)

    [received] = mss_server.received
    assert received.rcpt_tos == [GP_MSS]
    assert received.client_certificate is not None
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert "Martin" not in attachment.get_filename()
    text = " ".join(pdf_text(attachment.get_content()).split())
    assert "MARTIN Jeanne" in text
    assert "Fièvre à surveiller, revoir dans 48 heures." in text
    # Nothing with health data went by ordinary e-mail; the nurse got her notice.
    assert all(m.attachments == [] for m in mail.outbox)
    notice = Delivery.objects.get(kind="visit_report.notice")
    assert (notice.channel, notice.recipient_user) == ("app", team_nurse.user)
    page = " ".join(response.text.split())
    assert f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS})." in page
    assert "Idel Test : notification dans OncoLien." in page
    assert (
        "Dr Anne Vidal : non envoyé : ni adresse de messagerie sécurisée de santé (MSSanté) "
        "ni compte OncoLien." in page
    )
    report.refresh_from_db()
    detail = login(coordinating_nurse).get(reverse("pathways:report_detail", args=[report.pk]))
    assert "Envoyé le" in detail.text
    delivery = Delivery.objects.get(channel="mss")
    assert (delivery.kind, delivery.outcome, delivery.recipient_address) == (
        "visit_report.sent",
        "sent",
        GP_MSS,
    )


# The messages leave when report_send's transaction commits, during the request: only
# a transactional test sees the outcome the page reports.
@pytest.mark.django_db(transaction=True)
def test_when_every_message_fails_the_page_never_says_sent(
    settings, visit, coordinating_nurse, login, certificates
):
    server = start_server(certificates, security="starttls")
    for name, value in mss_settings(certificates, server).items():
        setattr(settings, name, value)
    server.controller.stop()  # the operator's server is down
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))

    response = login(coordinating_nurse).post(
        reverse("pathways:report_send", args=[report.pk]), follow=True
    )

    page = " ".join(response.text.split())
    assert (
        f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS}) : non envoyé, "
        "l&#x27;envoi a échoué." in page
    )
    assert "Envoyé le" not in page
    assert "Rien n'est parti" in page
    report.refresh_from_db()
    assert report.sent_at is None
    assert Delivery.objects.get(kind="visit_report.sent").outcome == "failed"


def test_the_report_carries_the_conclusion_the_nurses_contact_and_the_supportive_care(
    visit, coordinating_nurse, login, django_capture_on_commit_callbacks
):
    coordinating_nurse.phone = "06 12 34 56 78"
    coordinating_nurse.save(update_fields=["phone"])
    pathway = visit.pathway
    referral_create(
        actor=coordinating_nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        external_name="Mme Durand, diététicienne",
    )
    done = referral_create(
        actor=coordinating_nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="pain"),
        external_name="Consultation douleur, CH Rodez",
    )
    for step in (
        Answer("sent"),
        Answer("accepted"),
        Answer("appointment_set", appointment_on=date(2026, 11, 20), appointment_time=time(14, 30)),
        Answer("done"),
    ):
        referral_transition(actor=coordinating_nurse, referral=done, answer=step)
    report = report_create(
        actor=coordinating_nurse,
        visit=visit,
        recipients=members(visit, "gp"),
        conclusion="Douleur mieux contrôlée ; poursuivre le suivi diététique.",
    )

    response = get_pdf(login(coordinating_nurse), report, django_capture_on_commit_callbacks)

    text = " ".join(pdf_text(response.content).split())
    assert "Conclusion Douleur mieux contrôlée ; poursuivre le suivi diététique." in text
    assert "Contact 06 12 34 56 78 — idec.nord@test.invalid" in text
    assert "Soins de support proposés et réalisés" in text
    assert (
        "Prise en charge diététique et nutritionnelle — Mme Durand, diététicienne : proposée"
        in (text)
    )
    assert "Prise en charge de la douleur — Consultation douleur, CH Rodez : réalisée" in text


def test_every_time_in_the_pdf_and_the_message_is_paris_time(visit, coordinating_nurse):
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    Visit.objects.filter(pk=visit.pk).update(occurred_at=moment)
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=members(visit, "gp"))
    report = report_for(user=coordinating_nurse, pk=report.pk)

    with timezone.override(UTC):  # e.g. a worker started without the site's zone
        text = " ".join(pdf_text(render_report_pdf(report_content(report))).split())
        body = secure_message_body(report)

    assert "1 décembre 2026 à 00:30" in text
    assert "30 novembre 2026 à 23:30" not in text
    assert "visite du 1 décembre 2026" in body
