import pytest


@pytest.mark.django_db
def test_the_stylesheet_is_served(client):
    # The layout's contrast and focus styles live in this file: a 404 would leave
    # pages unstyled without any test noticing.
    response = client.get("/static/css/oncolien.css")
    assert response.status_code == 200
    assert b"skip-link" in b"".join(response.streaming_content)
