import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_a_visitor_to_public_pages_and_log_in(client):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and '<main id="contenu"' in html
    for link in ("/soins-de-support/", "/cpts/", "/compte/connexion/"):
        assert f'href="{link}"' in html


def test_the_home_page_leads_a_coordinator_to_her_cpts_work(login, coordinator, nord_aveyron):
    html = login(coordinator).get("/").content.decode()
    assert f"Coordinateur·rice de CPTS — {nord_aveyron.name}" in html
    assert f"/compte/cpts/{nord_aveyron.slug}/membres/" in html
    assert nord_aveyron.get_absolute_url() in html


def test_the_home_page_leads_regional_staff_to_all_cpts(login, regional):
    html = login(regional).get("/").content.decode()
    assert "Équipe régionale" in html
    assert "Toutes les CPTS" in html
    assert "/membres/" not in html


def test_an_unknown_page_gets_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
