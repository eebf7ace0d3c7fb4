"""The issue's closed loop, in a real Chromium: a patient fills the self-assessment from
a one-time link on a phone-sized screen; the coordinating nurse sees the needs and
creates a referral to a suggested dietitian; the dietitian marks it done through the
signed link, on her phone too.
"""

import re

import pytest
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.assessments.loader import load_instruments
from oncolien.assessments.models import AssessmentStatus
from oncolien.assessments.services import link_issue
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.tests.factories import make_pathway
from oncolien.referrals.models import Referral
from oncolien.referrals.provider_links import link_for
from oncolien.territories.models import Cpts
from tests.browser.autosave import background_save
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_a_patient_fills_the_self_assessment_on_a_phone_and_nutrition_is_a_priority(
    live_server, page, base_data, browser, settings
):
    # 2FA has its own browser test; here the nurse logs in with her password only.
    settings.ONCOLIEN_REQUIRE_2FA = False
    dietitian = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations diététiques en oncologie",
        organization="Cabinet de diététique d'Espalion",
        kind="self_employed",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune="12096",
        email="dieteticienne@exemple.invalid",
    )
    load_instruments()
    nurse = User.objects.create_user(
        username="claire.idec", password="x-2026-test-pw", first_name="Claire"
    )
    Membership.objects.create(
        user=nurse, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    nurse.is_verified = lambda: True
    pathway = make_pathway(actor=nurse)
    issued = link_issue(
        actor=nurse,
        pathway=pathway,
        instrument_code="sos-screening-patient-during",
        channel="print",
        build_url=lambda token: f"{live_server.url}/evaluations/lien/{token}/",
    )

    page.goto(issued.url)
    page.get_by_role(
        "heading", level=1, name=r"auto-questionnaire (pendant les traitements)"
    ).wait_for()
    assert "Martin" not in page.content()
    assert_accessible(page)
    # The conditional question on relief appears only once some pain is reported.
    relief = page.get_by_role("group", name="Vos douleurs sont-elles suffisamment soulagées ?")
    assert relief.is_hidden()
    _choose(
        page,
        "Au cours des 7 derniers jours, quelle a été l'intensité de vos douleurs, au pire ?",
        "2",
    )
    relief.wait_for(state="visible")
    assert_accessible(page)
    _choose(page, "Vos douleurs sont-elles suffisamment soulagées ?", "Oui")
    _choose(
        page,
        "Avez-vous perdu du poids sans le vouloir depuis le début des traitements ?",
        "Oui, beaucoup (5 % de mon poids ou plus)",
    )
    # Each change is saved in the background (no button pressed).
    with page.expect_response(
        lambda r: r.request.method == "POST" and "half_or_less" in (r.request.post_data or "")
    ):
        _choose(
            page,
            "Ces derniers jours, mangez-vous moins que d'habitude ?",
            "La moitié ou moins de ce que je mange d'habitude",
        )
    page.get_by_text("Réponses enregistrées.").wait_for()

    # She stops and comes back later with the same link: her answers are there.
    page.goto(issued.url)
    assert page.get_by_label("La moitié ou moins de ce que je mange d'habitude").is_checked()

    for question, answer in [
        (
            "Ces 7 derniers jours, à quel point vous êtes-vous senti·e inquiet·ète, triste ou découragé·e ?",
            "3",
        ),
        ("Souhaiteriez-vous rencontrer un·e psychologue ?", "Non"),
        ("Rencontrez-vous actuellement l'une de ces difficultés ?", "Aucune de ces difficultés"),
        (
            "Aujourd'hui, par rapport à avant la maladie, votre activité physique (marche, ménage, sport…) est :",
            "Réduite",
        ),
        ("Ces 7 derniers jours, quelle a été l'intensité de votre fatigue ?", "5"),
        ("Aimeriez-vous être accompagné·e pour (re)prendre une activité physique adaptée ?", "Non"),
        ("Envisagez-vous d'avoir un enfant dans les années à venir ?", "Je ne suis pas concerné·e"),
        (
            "La maladie ou les traitements ont-ils des effets sur votre vie intime ou sexuelle ?",
            "Non",
        ),
        ("Fumez-vous (tabac, cigarette électronique avec nicotine) ?", "Non, jamais"),
        ("Buvez-vous des boissons alcoolisées ?", "Parfois (moins d'un verre par jour en moyenne)"),
        ("Un proche vous aide-t-il au quotidien ?", "Non"),
    ]:
        with background_save(page):
            _choose(page, question, answer)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses ont été envoyées").wait_for()
    assert_accessible(page)

    assessment = issued.link.assessment
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.results["needs"]["nutrition"] == "priority"
    assert assessment.results["needs"]["physical_activity"] == "to_discuss"

    # The link works once.
    response = page.goto(issued.url)
    assert response.status == 410
    assert_accessible(page)

    # The coordinating nurse, at her desk, sees the needs on the pathway page.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{live_server.url}/compte/connexion/")
    desk.get_by_label("Identifiant").fill("claire.idec")
    desk.get_by_label("Mot de passe").fill("x-2026-test-pw")
    desk.get_by_role("button", name="Se connecter").click()
    desk.get_by_role("heading", name="Votre travail").wait_for()
    assert_accessible(desk)
    desk.goto(f"{live_server.url}/parcours/{pathway.pk}/")
    assert_accessible(desk)
    needs = desk.locator("#evaluations").inner_text()
    assert "Prise en charge diététique et nutritionnelle" in needs
    assert "Prioritaire" in needs

    # She asks for nearby resources for nutrition and refers to the suggested dietitian.
    desk.get_by_label("Orienter vers un soin de support").select_option("nutrition")
    desk.get_by_role("button", name="Voir les ressources proches").click()
    desk.get_by_role("heading", level=1, name="ressources proches").wait_for()
    assert_accessible(desk)
    row = desk.get_by_role("row").filter(has_text="Consultations diététiques en oncologie")
    assert "Dans la CPTS" in row.inner_text()
    row.get_by_label("Message au professionnel").fill("Perte de poids importante, merci.")
    row.get_by_role("button", name=re.compile("Créer l.orientation vers")).click()
    desk.get_by_role("button", name="Envoyer au professionnel").click()
    referral = Referral.objects.get(pathway=pathway)
    assert (referral.service_id, referral.status) == (dietitian.pk, "sent")

    # The dietitian answers through the signed link, with no account, on her phone.
    page.goto(live_server.url + link_for(referral))
    assert "Martin" not in page.content()  # first name and initial only
    assert_accessible(page)
    page.get_by_role("button", name="Accepter").click()
    # Today at 8 h: « Soin réalisé » is accepted from the appointment's day on.
    page.get_by_label("Date du rendez-vous").fill(timezone.localdate().isoformat())
    page.get_by_label("Heure du rendez-vous").fill("08:00")
    page.get_by_role("button", name="Fixer le rendez-vous").click()
    page.get_by_role("button", name="Soin réalisé").click()
    # Done, and undoable by the provider if she clicked too soon.
    page.get_by_role("button", name="Annuler « Soin réalisé »").wait_for()
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == "done"
    assert [e.to_status for e in referral.events.order_by("at", "pk")][-3:] == [
        "accepted",
        "appointment_set",
        "done",
    ]
