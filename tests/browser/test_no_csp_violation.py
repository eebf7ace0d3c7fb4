"""The Content-Security-Policy refuses nothing a page of OncoLien needs (issue 13).

A real Chromium visits the main pages of each persona under the policy the server
sends (script-src 'self', no inline script): every violation the browser reports,
as a console message or a `securitypolicyviolation` event, fails the test. The pages
whose scripts were moved out of the templates are among them, and each script is
seen doing its work: the questionnaire saves itself, the questionnaire is proposed
for the respondent, the print button, the charts and the Swagger UI of the API.
axe-core runs on every page (conftest.py).
"""

import re

import pytest

from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
    link_issue,
)
from oncolien.pathways.tests.factories import make_pathway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test-42"  # the personas' (conftest.py)
# Reported to the console as well, so that one listener sees both kinds of report.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def _listen(page, found: list[str]) -> None:
    page.add_init_script(REPORT_VIOLATIONS)

    def listen(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text or "Refused to" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", listen)


@pytest.fixture
def violations(page):
    found: list[str] = []
    _listen(page, found)
    return found


def _log_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", level=1).first.wait_for()


def _scores(nurse, pathway) -> None:
    for value in (2, 7):
        assessment = assessment_start(
            actor=nurse,
            pathway=pathway,
            instrument_code="distress-thermometer",
            respondent="patient",
        )
        assessment_save_answers(
            assessment=assessment, answers={"distress": value, "talk_wish": "no"}, actor=nurse
        )
        assessment_complete(assessment=assessment, actor=nurse)


def test_the_main_pages_of_each_persona_break_no_csp_rule(
    live_server,
    page,
    settings,
    violations,
    coordinating_nurse,
    coordinator,
    provider,
    regional,
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    pathway = make_pathway(actor=coordinating_nurse)
    _scores(coordinating_nurse, pathway)
    issued = link_issue(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        channel="print",
        build_url=lambda token: f"{live_server.url}/evaluations/lien/{token}/",
    )

    # Anyone: home, directory search (its script folds the filters on a phone only),
    # reference data, the list of CPTS, the API's documentation.
    for path in ("/", "/annuaire/?q=diététique", "/soins-de-support/", "/cpts/"):
        assert page.goto(f"{live_server.url}{path}").ok
    # The API's documentation is Swagger UI's page (django-ninja's, served from our
    # static files): checked here for CSP in a page of its own, which axe-core does not
    # check — its violations (contrast, nested controls, its server list) are Swagger
    # UI's markup, and axe found them or not depending on how far it had drawn.
    docs = page.context.new_page()
    _listen(docs, violations)
    docs.goto(f"{live_server.url}/api/v1/docs")
    docs.get_by_role("heading", name=re.compile("OncoLien API")).wait_for()
    docs.locator(".opblock").first.wait_for()
    docs.close()

    # The patient, from the one-time link: the questionnaire saves itself.
    page.goto(issued.url)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("group").first.get_by_role("radio").first.check()
    page.get_by_text("Réponses enregistrées.").wait_for()

    # The coordinating nurse: her work, the pathway with its chart, a link to print.
    _log_in(page, live_server, coordinating_nurse)
    page.goto(f"{live_server.url}/parcours/{pathway.pk}/")
    page.get_by_role("heading", name="Évolution des scores").wait_for()
    chart = page.locator("figure.chart svg").first
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    page.goto(f"{live_server.url}/evaluations/parcours/{pathway.pk}/lien/")
    respondent = page.get_by_label("Destinataire")
    respondent.select_option(index=1)
    respondent.select_option(index=0)
    page.get_by_label("Imprimé (code QR)").check()
    page.get_by_role("button", name="Créer le lien").click()
    page.get_by_role("heading", name="Votre questionnaire").wait_for()
    page.evaluate(
        "() => { window.__printed = false; window.print = () => { window.__printed = true; }; }"
    )
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("() => window.__printed") is True

    # The coordinator: her CPTS page (with its map) and the indicators' charts.
    _log_in(page, live_server, coordinator)
    assert page.goto(f"{live_server.url}/cpts/cpts-nord-aveyron/").ok
    assert page.goto(f"{live_server.url}/indicateurs/cpts-nord-aveyron/").ok

    # The provider and the regional staff: their home pages.
    for user, path in ((provider, "/"), (regional, "/indicateurs/region/")):
        _log_in(page, live_server, user)
        assert page.goto(f"{live_server.url}{path}").ok

    assert violations == []
