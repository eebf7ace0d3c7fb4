import pytest

pytestmark = pytest.mark.django_db


def test_the_cpts_directory_page_offers_print_exports_and_contribution(client, nord_aveyron):
    html = client.get(f"/annuaire/cpts/{nord_aveyron.slug}/").content.decode()
    for url in (
        f"/annuaire/edition/cpts/{nord_aveyron.slug}.pdf",
        f"/annuaire/import/cpts/{nord_aveyron.slug}/export.csv",
        f"/annuaire/import/cpts/{nord_aveyron.slug}/export.xlsx",
        f"/annuaire/contribuer/{nord_aveyron.slug}/",
    ):
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
