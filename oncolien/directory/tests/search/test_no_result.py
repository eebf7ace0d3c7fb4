"""When nothing matches: a wider radius, then fewer words, said plainly; and
« Vouliez-vous dire … » for a misspelt word (page and JSON API)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from .conftest import ESPALION

API = "/api/v1/directory/services"
SEARCH = reverse("directory:search")


def status(response) -> str:
    found = re.search(r'<p role="status">(.*?)</p>', response.content.decode(), re.S)
    assert found, "no status line"
    return " ".join(html.unescape(found.group(1)).split())


def test_no_result_message_reads_as_one_sentence(client, directory):
    response = client.get(SEARCH, {"q": "xylophone", "commune": "Espalion", "insee": ESPALION})
    assert status(response) == (
        "Aucune offre ne correspond à ces critères dans un rayon de 20 km "
        "autour de la commune Espalion (12)."
    )
    assert status(client.get(SEARCH, {"q": "xylophone"})) == (
        "Aucune offre ne correspond à ces critères."
    )


def test_nothing_near_widens_the_radius_and_says_so(client, directory):
    # Laguiole is 21.1 km from Espalion: nothing at 10 km, nor at 20.
    body = client.get(API, {"q": "laguiole", "commune": ESPALION, "radius_km": 10}).json()
    assert [hit["name"] for hit in body["results"]] == ["Groupe de parole des aidants"]
    assert body["widened_from_km"] == 10
    assert body["origin"]["radius_km"] == 40
    assert body["notice"] == (
        "Aucune offre à moins de 10 km ; voici les plus proches, jusqu'à 22 km."
    )
    page = client.get(
        SEARCH, {"q": "laguiole", "commune": "Espalion", "insee": ESPALION, "radius": "10"}
    )
    assert status(page).startswith(
        "Aucune offre à moins de 10 km ; voici les plus proches, jusqu'à 22 km. 1 offre trouvée "
        "dans un rayon de 40 km autour de la commune Espalion (12)"
    )


def test_then_the_words_are_relaxed_and_it_is_said(client, directory):
    body = client.get(API, {"q": "consultation xylophone"}).json()
    assert body["relaxed_words"] is True
    assert body["count"] == 2  # the two « Consultation diététique »
    assert body["notice"] == (
        "Aucune offre ne contient tous les mots cherchés ; "
        "voici celles qui en contiennent au moins un."
    )
    # Exact matches are left alone.
    exact = client.get(API, {"q": "consultation castres"}).json()
    assert (exact["count"], exact["notice"], exact["relaxed_words"]) == (1, "", False)


def test_filters_are_never_relaxed(client, directory):
    body = client.get(API, {"care_type": "fertility", "commune": ESPALION, "radius_km": 20}).json()
    assert (body["count"], body["notice"], body["widened_from_km"]) == (0, "", None)


def test_a_misspelt_word_gets_a_suggestion_from_the_vocabulary(client, directory):
    body = client.get(API, {"q": "dieteticiene"}).json()
    # The stem already finds the dietitians; the right spelling is offered all the same.
    assert (body["count"], body["did_you_mean"]) == (3, ["diététicienne"])
    assert client.get(API, {"q": "diététicienne"}).json()["did_you_mean"] == []
    assert client.get(API, {"q": "sofrologie"}).json()["did_you_mean"] == ["sophrologie"]
    assert client.get(API, {"q": "xylophone"}).json()["did_you_mean"] == []
    assert client.get(API, {"q": "sofrologie castres"}).json()["did_you_mean"] == [
        "sophrologie castres"
    ]
    page = client.get(SEARCH, {"q": "dieteticiene"}).content.decode()
    link = re.search(r'Vouliez-vous dire <a href="([^"]+)">diététicienne</a> \?', page)
    assert link, "no suggestion on the page"
    url = html.unescape(link.group(1))
    assert parse_qs(urlsplit(url).query)["q"] == ["diététicienne"]
    assert "3 offres trouvées" in status(client.get(url))
