import pytest

from oncolien.pathways.models import AlertProtocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    return login(administrator)


def test_a_fever_threshold_outside_37_8_and_38_5_is_refused(admin_client, nord_aveyron):
    url = "/admin/pathways/alertprotocol/add/"
    response = admin_client.post(
        url, {"cpts": nord_aveyron.pk, "fever_threshold_c": "39.0", "escalation_after_minutes": 240}
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 38.5" in response.content.decode()
    assert not AlertProtocol.objects.exists()
    admin_client.post(
        url, {"cpts": nord_aveyron.pk, "fever_threshold_c": "38.2", "escalation_after_minutes": 60}
    )
    assert AlertProtocol.objects.get().escalation_after_minutes == 60


def test_patient_data_is_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/pathways/pathway/").status_code == 404
    assert admin_client.get("/admin/pathways/patient/").status_code == 404
