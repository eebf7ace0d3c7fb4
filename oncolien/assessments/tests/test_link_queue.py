"""What the page says of a link's message once messages go through the task queue:
never « envoyé » while it waits or is being retried."""

import socket

import pytest
from django.urls import reverse
from django.utils import timezone
from huey.storage import SqliteStorage

from oncolien.background.tests.conftest import real_queue
from oncolien.notifications.models import Delivery

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL_LINK = {
    "instrument": "distress-thermometer",
    "respondent": "patient",
    "channel": "email",
    "email": "jeanne.martin@example.test",
}


def _issue(login, coordinating_nurse, pathway):
    return login(coordinating_nurse).post(
        reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
        EMAIL_LINK,
        follow=True,
    )


def test_a_link_waiting_in_the_queue_is_said_to_be_on_its_way_not_sent(
    pathway, coordinating_nurse, login, tmp_path
):
    with real_queue(SqliteStorage("oncolien-test", filename=str(tmp_path / "q.sqlite3"))):
        text = _issue(login, coordinating_nurse, pathway).content.decode()
    assert Delivery.objects.get().outcome == "pending"
    assert "Le lien part par courriel dans un instant." in text
    assert "a été envoyé" not in text


def test_a_link_whose_email_will_be_retried_says_when(settings, pathway, coordinating_nurse, login):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: the connection is refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    text = _issue(login, coordinating_nurse, pathway).content.decode()
    delivery = Delivery.objects.get()
    assert delivery.outcome == "failed" and delivery.next_attempt_at is not None
    retry = f"{timezone.localtime(delivery.next_attempt_at):%H:%M}"
    assert f"Le premier envoi du courriel a échoué ; un nouvel essai est prévu à {retry}." in text
    assert "Révoquez-le" not in text and "a été envoyé" not in text
