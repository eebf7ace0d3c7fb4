import pytest
from django.urls import reverse

from oncolien.territories.models import Cpts

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, login):
    from oncolien.accounts.models import User

    user = User.objects.create_superuser(
        "admin.territoires", "admin@test.invalid", "mot-de-passe-42"
    )
    return login(user)


def test_cpts_change_form_shows_computed_population_and_size_class(staff_client):
    cpts = Cpts.objects.get(slug="cpts-sud-tarn")

    response = staff_client.get(reverse("admin:territories_cpts_change", args=[cpts.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Taille 3" in html
    assert f"{cpts.population:,}".replace(",", "\u202f") in html


def test_commune_search_by_postal_code(staff_client):
    response = staff_client.get(reverse("admin:territories_commune_changelist"), {"q": "81100"})

    assert response.status_code == 200
    assert "Castres" in response.content.decode()


def test_department_and_cpts_lists_render(staff_client):
    for name in ("territories_department_changelist", "territories_cpts_changelist"):
        assert staff_client.get(reverse(f"admin:{name}")).status_code == 200
