"""The pathway page draws a scale's scores over time with the app's chart library, in a
real Chromium: the chart is one labelled image, the table of its values sits beside it,
and axe-core finds no violation on the page."""

import os

import pytest

from oncolien.assessments.loader import load_instruments
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.pathways.tests.factories import make_pathway
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_nurse_reads_the_distress_scores_as_a_chart_and_as_a_table(
    live_server, page, settings, coordinating_nurse
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    load_instruments()
    pathway = make_pathway(actor=coordinating_nurse)
    coordinating_nurse.is_verified = lambda: True
    for value in (2, 7):
        assessment = assessment_start(
            actor=coordinating_nurse,
            pathway=pathway,
            instrument_code="distress-thermometer",
            respondent="patient",
        )
        assessment_save_answers(
            assessment=assessment,
            answers={"distress": value, "talk_wish": "no"},
            actor=coordinating_nurse,
        )
        assessment_complete(assessment=assessment, actor=coordinating_nurse)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(coordinating_nurse.username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Votre travail").wait_for()
    page.goto(f"{live_server.url}/parcours/{pathway.pk}/")

    page.get_by_role("heading", name="Évolution des scores").wait_for()
    image = page.get_by_role("img", name="Graphique : ", exact=False).first
    assert image.is_visible()
    box = image.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    table = page.get_by_role("table", name="les valeurs du graphique", exact=False).first
    cells = table.locator("tbody td").all_inner_texts()
    assert cells == ["2", "7"]
    assert_accessible(page)
    screenshot = os.environ.get("ONCOLIEN_SCREENSHOTS")
    if screenshot:  # to look at the chart as the nurse sees it
        page.locator("figure.chart").first.screenshot(path=f"{screenshot}/assessment-chart.png")
