import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.outreach.demo import load_demo_outreach
from oncolien.outreach.material import render_material_pdf
from oncolien.outreach.models import Campaign, ContactRequest
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_cpts_has_two_campaigns_and_a_waiting_request_once(base_data):
    load_demo_accounts()
    campaigns = load_demo_outreach()
    load_demo_outreach()
    assert Campaign.objects.count() == 2 == len(campaigns)
    assert ContactRequest.objects.filter(called_back_at__isnull=True).count() == 1
    text = flat_pdf_text(render_material_pdf(campaigns[0], "affiche-a4"))
    assert "résidez dans le Nord Aveyron" in text
