"""The follow-up booklet in a real Chromium: the patient opens her personal link on a
phone, types a wrong code then the one the nurse told her, and reads her booklet; the
coordinating nurse, at her desk, reads the booklet page and its print form. axe-core
checks every page (0 violations)."""

from datetime import date

import pytest

from oncolien.accounts.models import Membership, User
from oncolien.booklets.services import link_issue
from oncolien.contacts.services import contact_save
from oncolien.pathways.services import care_team_add, treatment_add
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Cpts
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "x-2026-test-pw"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def _person(username: str, role: str, cpts: Cpts) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name="Claire")
    Membership.objects.create(user=user, role=role, cpts=cpts)
    user.is_verified = lambda: True
    return user


@pytest.fixture
def nurse_and_pathway(base_data, settings):
    # 2FA has its own browser test; here the nurse logs in with her password only.
    settings.ONCOLIEN_REQUIRE_2FA = False
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    nurse = _person("claire.idec", "coordinating_nurse", cpts)
    coordinator = _person("marc.coord", "coordinator", cpts)
    pathway = make_pathway(actor=nurse, last_name="Durand", first_name="Jeanne")
    care_team_add(
        actor=nurse,
        pathway=pathway,
        role="oncologist",
        name="Dr Paul Costes",
        phone="05 36 49 30 01",
    )
    treatment_add(
        actor=nurse,
        pathway=pathway,
        kind="chemotherapy",
        started_on=date(2026, 11, 3),
        ended_on=date(2027, 2, 15),
    )
    contact_save(
        actor=coordinator,
        cpts=cpts,
        kind="day_hospital",
        name="Hôpital de jour d'oncologie",
        establishment="Centre hospitalier de Rodez",
        phone="0536492101",
        hours="du lundi au vendredi, 9 h – 17 h",
        position=10,
    )
    return nurse, pathway


def test_the_patient_opens_her_booklet_with_the_code_on_a_phone(
    live_server, page, nurse_and_pathway
):
    nurse, pathway = nurse_and_pathway
    issued = link_issue(
        actor=nurse,
        pathway=pathway,
        channel="print",
        build_url=lambda token: f"{live_server.url}/livrets/l/{token}/",
    )
    page.goto(issued.url)
    page.get_by_role("heading", level=1, name="Mon livret de suivi").wait_for()
    assert "Durand" not in page.content() and "DURAND" not in page.content()

    wrong = f"{(int(issued.code) + 1) % 1_000_000:06d}"
    page.get_by_label("Code personnel").fill(wrong)
    page.get_by_role("button", name="Ouvrir mon livret").click()
    page.get_by_role("alert").get_by_text("Il vous reste 4 essais").wait_for()
    assert "DURAND" not in page.content()
    assert_accessible(page)

    page.get_by_label("Code personnel").fill(issued.code)
    page.get_by_role("button", name="Ouvrir mon livret").click()
    page.get_by_text("Jeanne DURAND").wait_for()
    for title in (
        "Votre équipe de soins",
        "Qui appeler après l'annonce",
        "Vos rendez-vous à venir",
        "Vos traitements",
        "Vos soins de support",
        "Les signes qui doivent vous faire appeler",
    ):
        assert page.get_by_role("heading", level=2, name=title).is_visible(), title
    assert page.get_by_text("Chimiothérapie : du 03/11/2026 au 15/02/2027").is_visible()
    assert page.get_by_text("Centre hospitalier de Rodez").is_visible()
    assert_accessible(page)


def test_the_nurse_reads_the_booklet_page_at_her_desk(live_server, browser, nurse_and_pathway):
    _, pathway = nurse_and_pathway
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{live_server.url}/compte/connexion/")
    desk.get_by_label("Identifiant").fill("claire.idec")
    desk.get_by_label("Mot de passe").fill(PASSWORD)
    desk.get_by_role("button", name="Se connecter").click()
    desk.get_by_role("heading", name="Votre travail").wait_for()
    desk.goto(f"{live_server.url}/parcours/{pathway.pk}/")
    desk.get_by_role("link", name="Voir, imprimer ou transmettre le livret").click()
    desk.get_by_role("heading", level=1, name="Livret de suivi de Jeanne DURAND").wait_for()
    assert_accessible(desk)
    assert desk.get_by_label("A5 (livret plié)").is_visible()
    assert desk.get_by_text("Dr Paul Costes — Oncologue : 05 36 49 30 01").is_visible()
    desk.get_by_role("link", name="Transmettre un lien au patient").click()
    desk.get_by_label("Imprimé (code QR remis en main propre)").check()
    desk.get_by_role("button", name="Créer le lien").click()
    desk.get_by_role("heading", level=1, name="Lien du livret créé").wait_for()
    code = desk.locator("#code-livret").inner_text()
    assert len(code) == 6 and code.isdigit()
    assert_accessible(desk)


def test_the_coordinator_curates_the_contacts_on_her_phone(live_server, page, nurse_and_pathway):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("marc.coord")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Gérer les contacts après l'annonce").click()
    page.get_by_role("heading", level=1, name="Gérer les contacts après l'annonce").wait_for()
    page.get_by_role("link", name="Ajouter un contact").click()
    page.get_by_label("Rôle").select_option(label="Centre de coordination en cancérologie (3C)")
    page.get_by_label("Intitulé").fill("3C du territoire")
    page.get_by_label("Établissement").fill("Centre hospitalier de Rodez")
    page.get_by_label("Téléphone").fill("pas un numéro")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("alert").get_by_text("Numéro de téléphone invalide").wait_for()
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("05 36 49 21 03")
    page.get_by_label("Horaires").fill("du lundi au vendredi, 9 h – 17 h")
    page.get_by_label("Ordre").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Contact « 3C du territoire » enregistré.").wait_for()
    page.get_by_role("link", name="← Qui appeler après l'annonce").click()
    rows = page.locator("table.contacts tbody tr")
    assert rows.count() == 2
    assert "Hôpital de jour" in rows.nth(0).inner_text()
    assert "3C du territoire" in rows.nth(1).inner_text()
