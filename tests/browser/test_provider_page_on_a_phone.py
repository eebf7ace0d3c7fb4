"""The provider opens her signed link on a 390 px phone: nothing overflows sideways,
the patient's and the referrer's phones are links she can tap, and axe-core finds no
accessibility violation on the page."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from oncolien.accounts.models import Membership, User
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals import services
from oncolien.referrals.provider_links import link_for
from oncolien.referrals.services import Answer
from oncolien.territories.models import Cpts
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


def test_the_provider_page_fits_a_phone_and_its_phones_are_tappable(live_server, page, base_data):
    nurse = User.objects.create_user(
        username="claire.idec",
        password="x-2026-test-pw",
        first_name="Claire",
        last_name="Fabre",
        email="claire.fabre.idec-nord-aveyron@cpts-nord-aveyron.test.invalid",
        phone="05 65 44 00 11",
    )
    Membership.objects.create(
        user=nurse, role="coordinating_nurse", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    nurse.is_verified = lambda: True
    pathway = make_pathway(actor=nurse, phone="06 12 34 56 78")
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultations diététiques en oncologie et accompagnement nutritionnel",
        organization="Cabinet de diététique d'Espalion",
        care_types=["nutrition"],
        commune="12096",
    )
    referral = services.referral_create(
        actor=nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=service,
        note="Perte de poids de 6 kg depuis le début de la chimiothérapie ; appétit réduit.",
    )
    for step in ("sent", "accepted"):
        services.referral_transition(actor=nurse, referral=referral, answer=Answer(step))
    services.referral_transition(
        actor=nurse,
        referral=referral,
        answer=Answer(
            "appointment_set",
            appointment_on=timezone.localdate() + timedelta(days=3),
            appointment_time=time(14, 30),
        ),
    )

    page.goto(f"{live_server.url}{link_for(referral)}")
    page.get_by_role("heading", level=1).wait_for()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"La page fait {width} px de large sur un écran de 390 px."
    assert page.get_by_role("link", name="06 12 34 56 78").get_attribute("href") == (
        "tel:0612345678"
    )
    assert page.get_by_role("link", name="05 65 44 00 11").get_attribute("href") == (
        "tel:0565440011"
    )
    assert "à 14h30" in page.content()
    assert_accessible(page)
