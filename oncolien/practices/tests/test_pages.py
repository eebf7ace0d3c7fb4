"""The writing and review pages, as a coordinator and regional staff use them."""

import pytest

from oncolien.practices.models import Practice, Status

pytestmark = pytest.mark.django_db


def test_a_coordinator_writes_rates_and_submits_then_regional_staff_ask_for_changes(
    login, coordinator, regional, nord_aveyron
):
    writer = login(coordinator)
    page = writer.get("/pratiques/gestion/").content.decode()
    assert f"Nouvelle action de la {nord_aveyron.name}" in page
    assert "À relire" not in page
    response = writer.post(
        f"/pratiques/gestion/{nord_aveyron.slug}/nouvelle/",
        {
            "title": "Temps d'immersion à l'hôpital",
            "summary": "Les infirmières passent une journée dans les services.",
            "care_types": ["psychological"],
            "key_figures": "9 infirmières",  # no colon: refused
        },
    )
    assert response.status_code == 200
    assert "écrivez la valeur, deux-points" in response.content.decode()
    assert not Practice.objects.exists()
    response = writer.post(
        f"/pratiques/gestion/{nord_aveyron.slug}/nouvelle/",
        {
            "title": "Temps d'immersion à l'hôpital",
            "summary": "Les infirmières passent une journée dans les services.",
            "key_figures": "9 : infirmières",
        },
    )
    practice = Practice.objects.get()
    assert response.status_code == 302 and practice.status == Status.DRAFT
    writer.post(f"/pratiques/gestion/{practice.pk}/radar/", {"delai": "2", "formation": "5"})
    practice.refresh_from_db()
    assert practice.radar["formation"] == 5 and practice.radar["couts"] is None
    writer.post(f"/pratiques/gestion/{practice.pk}/soumettre/")
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED

    reviewer = login(regional)
    review_url = f"/pratiques/gestion/{practice.pk}/relecture/"
    assert review_url in reviewer.get("/pratiques/gestion/").content.decode()
    refused = reviewer.post(f"/pratiques/gestion/{practice.pk}/relecture/", {"decision": "changes"})
    assert "Dites à la CPTS ce qui doit être modifié" in refused.content.decode()
    reviewer.post(
        f"/pratiques/gestion/{practice.pk}/relecture/",
        {"decision": "changes", "comment": "Précisez le coût."},
    )
    practice.refresh_from_db()
    assert practice.status == Status.CHANGES_REQUESTED

    page = login(coordinator).get(f"/pratiques/{practice.pk}/").content.decode()
    assert "Précisez le coût." in page and "Envoyer pour relecture" in page
