"""The flyer and posters of a campaign: what they say, and the QR code they carry
opens that campaign's page."""

import pytest
from django.urls import reverse

from oncolien.outreach.material import FORMATS, render_material_pdf
from oncolien.outreach.tests.factories import make_campaign
from oncolien.outreach.tests.qr import qr_texts
from tests.pdf import flat_pdf_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(FORMATS))
def test_each_document_says_the_offer_and_its_qr_code_opens_the_campaign(
    coordinator, settings, kind
):
    settings.ONCOLIEN_SITE_URL = "https://oncolien.example.fr"
    campaign = make_campaign(actor=coordinator)
    other = make_campaign(actor=coordinator, name="pharmacie Bozouls")

    pdf = render_material_pdf(campaign, kind)

    # One page, whatever the format (pdftotext ends each page with a form feed).
    assert pdf_text(pdf).count("\f") == 1

    text = flat_pdf_text(pdf)
    assert "Soutenir et accompagner face au cancer" in text
    assert "Un suivi après les traitements." in text
    assert "06 95 54 69 03" in text
    assert "(Absente le mercredi)" in text
    count = campaign.cpts.communes.count()
    assert f"vous devez habiter l'une des {count} communes de la CPTS Nord Aveyron" in text
    assert "Espalion" in text  # the list of communes
    assert "sauf opposition de votre part" in text
    url = f"https://oncolien.example.fr/c/{campaign.code}/"
    assert qr_texts(pdf) == [url]
    assert url != f"https://oncolien.example.fr/c/{other.code}/"


def test_the_coordinator_downloads_the_a3_poster_and_the_outsider_gets_404(
    coordinator, outsider, login, client
):
    campaign = make_campaign(actor=coordinator)
    url = reverse("outreach:campaign_pdf", kwargs={"pk": campaign.pk, "kind": "affiche-a3"})

    login(outsider)
    assert client.get(url).status_code == 404
    login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "CPTS Nord Aveyron" in flat_pdf_text(response.content)


def test_the_consent_sentence_is_editable(coordinator):
    from oncolien.outreach import services

    campaign = make_campaign(actor=coordinator)
    services.material_update(
        actor=coordinator,
        cpts=campaign.cpts,
        values={"consent_sentence": "Vous pouvez refuser d'être contacté·e à tout moment."},
    )
    text = flat_pdf_text(render_material_pdf(campaign, "flyer-a5"))
    assert "Vous pouvez refuser d'être contacté·e à tout moment." in text
    assert "sauf opposition" not in text


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_territory_of_95_communes_still_fits_on_one_page(outsider, kind):
    campaign = make_campaign(actor=outsider, cpts="cpts-sud-tarn", name="pharmacie Castres")
    pdf = render_material_pdf(campaign, kind)
    assert pdf_text(pdf).count("\f") == 1
    assert "l'une des 95 communes de la CPTS Sud Tarn" in flat_pdf_text(pdf)
    assert len(qr_texts(pdf)) == 1


@pytest.mark.parametrize("kind", list(FORMATS))
def test_the_demo_material_fits_on_one_page_in_every_format(base_data, kind):
    """The demo's Nord Aveyron material (a long title, three points, who answers, hours
    and an e-mail) printed on one page: its footer spilled alone onto a second page of
    the A4 poster."""
    from oncolien.accounts.demo import load_demo_accounts
    from oncolien.outreach.demo import load_demo_outreach

    load_demo_accounts()
    campaign = load_demo_outreach()[0]
    pdf = render_material_pdf(campaign, kind)
    assert pdf_text(pdf).count("\f") == 1
    assert "Ne pas jeter sur la voie publique" in flat_pdf_text(pdf)
