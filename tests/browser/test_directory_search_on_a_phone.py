"""A patient searches the directory on a 390 px phone: after the search the filters
fold away and the page shows the results first; the filters open again on a tap,
with what she chose. axe-core checks every page (root conftest)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oncolien.directory.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    }


def test_on_a_phone_the_results_come_first_after_a_search(live_server, page, base_data):
    make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations de nutrition",
        organization="Claire Vidal, diététicienne",
        care_types=["nutrition"],
        commune="12298",  # Villecomtal, 15 km from Espalion
    )

    page.goto(live_server.url + reverse("directory:search"))
    # Before any search, every criterion is at hand.
    assert page.get_by_label("Commune ou code postal").is_visible()
    page.get_by_label("Mots-clés").fill("nutrition")
    page.get_by_label("Commune ou code postal").fill("Espalion")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="Résultats").wait_for()

    # The filters are folded: the commune field is hidden behind their summary… (by the
    # page's script, a static file since the CSP: it may run just after the heading shows)
    expect(page.get_by_label("Commune ou code postal")).to_be_hidden()
    # …and the page has scrolled to the results: their heading and the first offer
    # are on screen without the patient scrolling.
    page.wait_for_function("() => window.scrollY > 0")
    first = page.locator("ol.results").get_by_role("link", name="Consultations de nutrition")
    box = first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844
    heading = page.get_by_role("heading", name="Résultats").bounding_box()
    assert heading is not None and heading["y"] >= 0
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"La page fait {width} px de large sur un écran de 390 px."

    # One tap on the summary opens the filters again, with the commune she typed.
    page.get_by_text("Lieu, soin, public et coût").click()
    commune = page.get_by_label("Commune ou code postal")
    assert commune.is_visible()
    assert "Espalion" in commune.input_value()
