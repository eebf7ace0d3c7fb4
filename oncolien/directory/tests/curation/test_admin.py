"""The admin shows the directory and its history, and changes nothing of it."""

import pytest
from django.urls import reverse

from oncolien.accounts.models import User
from oncolien.directory.contributions import contribution_submit, service_proposal
from oncolien.directory.tests.curation.conftest import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, base_data):
    user = User.objects.create_superuser("racine", "racine@test.invalid", "mot-de-passe-42-long")
    client.force_login(user)
    return client


def test_entries_and_their_history_are_shown_read_only(superuser_client, dietetics):
    client = superuser_client
    for name in ("organization", "location", "service", "contribution", "label"):
        assert client.get(reverse(f"admin:directory_{name}_changelist")).status_code == 200
    page = page_text(client.get(reverse("admin:directory_service_history", args=[dietetics.pk])))
    assert "curateur.tests" in page
    change = client.get(reverse("admin:directory_service_change", args=[dietetics.pk]))
    assert change.status_code == 200
    assert 'name="name"' not in change.content.decode()  # no input: read-only
    assert client.get(reverse("admin:directory_service_add")).status_code == 403


def test_a_contribution_is_readable_but_not_editable(superuser_client, dietetics):
    contribution = contribution_submit(
        service=dietetics,
        proposal={**service_proposal(dietetics), "phone": "05 65 48 00 11"},
        client_ip="192.0.2.9",
    )
    response = superuser_client.get(
        reverse("admin:directory_contribution_change", args=[contribution.pk])
    )
    assert response.status_code == 200
    assert "05 65 48 00 11" in page_text(response)
    assert 'name="status"' not in response.content.decode()
