"""SMS is offered only where a gateway exists, and the page says what really happened."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncolien.assessments.models import AccessLink
from oncolien.assessments.services import link_issue
from oncolien.notifications.models import Delivery

pytestmark = pytest.mark.django_db

NO_GATEWAY = "oncolien.notifications.sms.LogOnlyBackend"
GATEWAY = "oncolien.notifications.sms.LocmemBackend"


class BrokenGateway:
    """A configured gateway that fails, as a provider's outage would."""

    def send(self, to: str, body: str) -> None:
        raise ConnectionError("passerelle injoignable")


def _link_page(login, nurse, pathway):
    return login(nurse).get(reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}))


def _post_sms(login, nurse, pathway, **kwargs):
    return login(nurse).post(
        reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk}),
        {
            "instrument": "distress-thermometer",
            "respondent": "patient",
            "channel": "sms",
            "phone": "0612345678",
        },
        **kwargs,
    )


def test_sms_is_not_offered_when_no_gateway_is_configured(
    settings, pathway, coordinating_nurse, login
):
    settings.ONCOLIEN_SMS_BACKEND = NO_GATEWAY
    page = _link_page(login, coordinating_nurse, pathway).content.decode()
    assert 'value="sms"' not in page
    assert 'value="email"' in page and 'value="print"' in page
    assert "Aucune passerelle SMS n'est configurée sur cette installation" in page


def test_sms_is_offered_when_a_gateway_is_configured(settings, pathway, coordinating_nurse, login):
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    page = _link_page(login, coordinating_nurse, pathway).content.decode()
    assert 'value="sms"' in page


def test_an_sms_posted_without_a_gateway_is_refused_and_nothing_is_created(
    settings, pathway, coordinating_nurse, login
):
    settings.ONCOLIEN_SMS_BACKEND = NO_GATEWAY
    response = _post_sms(login, coordinating_nurse, pathway)
    page = response.content.decode()
    assert response.status_code == 400
    assert "envoyé par SMS" not in page
    assert "Sélectionnez un choix valide" in page
    assert not AccessLink.objects.exists() and not Delivery.objects.exists()


def test_the_service_refuses_an_sms_without_a_gateway(settings, pathway, coordinating_nurse):
    settings.ONCOLIEN_SMS_BACKEND = NO_GATEWAY
    with pytest.raises(ValidationError) as refused:
        link_issue(
            actor=coordinating_nurse,
            pathway=pathway,
            instrument_code="distress-thermometer",
            channel="sms",
            phone="0612345678",
            build_url=lambda token: token,
        )
    assert "Aucune passerelle SMS n'est configurée" in str(refused.value)
    assert not AccessLink.objects.exists() and not Delivery.objects.exists()


def test_a_link_whose_sms_is_not_yet_sent_is_not_claimed_sent(
    settings, pathway, coordinating_nurse, login
):
    # In a test transaction the message waits for a commit that never comes: the
    # delivery stays pending, and the page must not say it left.
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    text = _post_sms(login, coordinating_nurse, pathway, follow=True).content.decode()
    assert Delivery.objects.get().outcome == "pending"
    assert "envoyé par SMS" not in text
    assert "Le lien part par SMS dans un instant." in text


@pytest.mark.django_db(transaction=True)
def test_a_failing_gateway_is_reported_as_failed(settings, pathway, coordinating_nurse, login):
    settings.ONCOLIEN_SMS_BACKEND = f"{__name__}.BrokenGateway"
    text = _post_sms(login, coordinating_nurse, pathway, follow=True).content.decode()
    assert Delivery.objects.get().outcome == "failed"
    assert "envoi du SMS a échoué" in text
    assert "envoyé par SMS" not in text
