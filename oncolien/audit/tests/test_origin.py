import pytest

from oncolien.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_log_in_records_where_it_came_from(client, coordinator):
    client.post(
        "/compte/connexion/",
        {"username": coordinator.username, "password": "mot-de-passe-de-test-42"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Navigateur de test",
    )
    entry = AuditEntry.objects.filter(action="auth.login").latest("sequence")
    assert entry.actor_id == coordinator.pk
    assert entry.ip_address == "203.0.113.9"
    assert entry.user_agent == "Navigateur de test"
