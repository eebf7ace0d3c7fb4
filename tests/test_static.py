import re

import pytest


@pytest.mark.django_db
def test_the_stylesheet_is_served(client):
    # The layout's contrast and focus styles live in this file: a 404 would leave
    # pages unstyled without any test noticing.
    response = client.get("/static/css/oncolien.css")
    assert response.status_code == 200
    assert b"skip-link" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_every_page_names_an_icon_that_is_served(client):
    # Without an icon in the layout, browsers ask for /favicon.ico on every page: a 404
    # in each visitor's console and in the server's log.
    page = client.get("/").content.decode()
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert found, "no icon in the layout"
    response = client.get(found.group(1))
    assert response.status_code == 200
    icon = b"".join(response.streaming_content)
    assert icon.startswith(b"<svg") and b"<title>OncoLien</title>" in icon
