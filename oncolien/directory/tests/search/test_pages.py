"""The public pages, with no log-in: search, service page, CPTS directory."""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.directory.models import Organization, Service
from oncolien.directory.services import service_mark_verified
from oncolien.directory.tests.factories import curator

from .conftest import ESPALION, NORD

SEARCH = reverse("directory:search")


class Outline(HTMLParser):
    """Headings, form controls and their labels, as an assistive technology sees them."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[str] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(attrs.get("id", ""))
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])


def assert_accessible(response) -> Outline:
    outline = Outline()
    outline.feed(response.content.decode())
    assert outline.headings.count(1) == 1, "one h1 per page"
    assert outline.headings[0] == 1
    for previous, current in zip(outline.headings, outline.headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: h{previous} then h{current}"
    assert set(outline.controls) <= outline.labelled, "every control has a label"
    return outline


def text(response) -> str:
    """The page as read: entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_search_page_lists_the_directory_without_log_in(client, directory):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert_accessible(response)
    assert "8 offres trouvées" in text(response)
    assert "Ancienne consultation" not in text(response)


def test_a_patient_searches_by_words_and_commune_and_sees_distances(client, directory):
    response = client.get(SEARCH, {"q": "diet", "commune": "Espalion", "radius": "20"})
    page = text(response)
    assert response.status_code == 200
    assert_accessible(response)
    assert "2 offres trouvées dans un rayon de 20 km autour de la commune Espalion (12)" in page
    assert "Consultation diététique" in page and "dans la commune" in page
    assert "Cabinet Diététique du Lot" in page
    assert "Diététicienne de Castres" not in page


def test_distance_is_shown_for_farther_services(client, directory):
    page = text(client.get(SEARCH, {"commune": "12500", "insee": ESPALION, "radius": "20"}))
    assert "Soutien psychologique" in page and "à 15,1 km" in page


def test_unverified_services_carry_the_a_verifier_badge(client, directory):
    service_mark_verified(actor=curator(), service=directory["diet_castres"])
    page = client.get(SEARCH, {"q": "consultation"}).content.decode()
    results = page[page.index('<ol class="results"') :].split("<li>")[1:]
    badges = {"Cabinet Diététique du Lot" in result: "à vérifier" in result for result in results}
    assert badges == {True: True, False: False}


def test_an_ambiguous_commune_asks_for_the_department_and_offers_the_choice(client, directory):
    response = client.get(SEARCH, {"q": "diet", "commune": "Belcastel"})
    page = text(response)
    assert response.status_code == 200
    assert "Plusieurs communes s'appellent « Belcastel » : précisez le département" in page
    assert "offres trouvées" not in page
    link = re.search(r'href="([^"]*insee=81025[^"]*)"', response.content.decode()).group(1)
    chosen = client.get(link.replace("&amp;", "&"))
    # Nothing within 20 km of this Belcastel: the search widens and says so.
    assert "Aucune offre à moins de 20 km ; voici les plus proches" in text(chosen)
    assert "km autour de la commune Belcastel (81)" in text(chosen)


def test_an_unknown_commune_is_explained(client, directory):
    page = text(client.get(SEARCH, {"commune": "Zzyzx"}))
    assert "Aucune commune ne s'appelle « Zzyzx »" in page
    assert "offres trouvées" not in page


def test_pagination_links_keep_the_criteria(client, base_data):
    from oncolien.directory.tests.factories import make_service

    for number in range(22):
        make_service(
            cpts=NORD,
            name=f"Atelier de marche {number:02d}",
            organization="Marcheurs du Lot",
            care_types=["walking_workshops"],
            commune=ESPALION,
        )
    first = client.get(SEARCH, {"q": "marche"})
    assert "page 1 sur 2" in text(first)
    next_link = re.search(r'href="\?([^"]*)" rel="next"', first.content.decode()).group(1)
    second = client.get(SEARCH + "?" + next_link.replace("&amp;", "&"))
    assert "Atelier de marche 21" in text(second) and "page 2 sur 2" in text(second)
    beyond = text(client.get(SEARCH, {"q": "marche", "page": "7"}))
    assert "Cette page n'existe pas : la recherche compte 2 pages" in beyond


def test_the_service_page_tells_a_patient_everything(client, directory):
    service = directory["psy_villecomtal"]
    response = client.get(reverse("directory:service_detail", args=[service.pk]))
    page = text(response)
    assert response.status_code == 200
    assert_accessible(response)
    for fact in (
        "<h1>Soutien psychologique</h1>",
        "Cabinet de psychologie Anne Martin",
        "Prise en charge psychologique",
        "Psychologue",
        "Personnes malades",
        "Traitement actif (PPS), Après-cancer (PPAC)",
        "Accès direct",
        "Reste à charge : 30 €",
        "1 place de la Mairie",
        "Villecomtal",
        "à vérifier",
    ):
        assert fact in page, fact
    assert 'href="{}"'.format(reverse("directory:contribute_correction", args=[service.pk])) in page


def test_the_service_page_shows_the_last_verification_date(client, directory):
    service = directory["diet_espalion"]
    service_mark_verified(
        actor=curator(), service=service, on=timezone.localdate() - timedelta(days=30)
    )
    page = text(client.get(reverse("directory:service_detail", args=[service.pk])))
    assert "Dernière vérification :" in page and "à vérifier" not in page


def test_the_service_page_lists_the_communes_served_at_home(client, directory):
    service = directory["physio_home"]
    page = text(client.get(reverse("directory:service_detail", args=[service.pk])))
    assert "À domicile." in page
    assert "Communes desservies : Espalion, Saint-Côme-d'Olt." in page


def test_fictitious_contacts_are_announced(client, directory):
    service = directory["apa_bozouls"]
    Organization.objects.filter(pk=service.organization_id).update(is_fictitious=True)
    page = text(client.get(reverse("directory:service_detail", args=[service.pk])))
    assert "Contacts fictifs (démonstration)" in page


def test_an_inactive_service_has_no_public_page(client, directory):
    url = reverse("directory:service_detail", args=[directory["inactive"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("directory:service_detail", args=[999_999])).status_code == 404


def test_the_cpts_directory_groups_services_by_care_type(client, directory):
    response = client.get(reverse("directory:cpts_directory", args=[NORD]))
    page = text(response)
    assert response.status_code == 200
    assert_accessible(response)
    assert "<h1>Annuaire des soins de support — CPTS Nord Aveyron</h1>" in page
    # The table of contents, then one section per care, in the reference order.
    toc = page[page.index("Sommaire") :]
    assert toc.index("Prise en charge diététique et nutritionnelle") < toc.index(
        "Activité physique"
    )
    assert 'href="#soin-nutrition"' in page and 'id="soin-nutrition"' in page
    nutrition = page[page.index('id="soin-nutrition"') :]
    nutrition = nutrition[: nutrition.index("Retour au sommaire")]
    assert "Atelier cuisine et nutrition" in nutrition
    assert "Consultation diététique" in nutrition
    assert "Ancienne consultation" not in page
    assert "Socio-esthétique" not in page  # a service of Sud Tarn


def test_an_unknown_cpts_has_no_directory(client, base_data):
    assert client.get(reverse("directory:cpts_directory", args=["inconnue"])).status_code == 404


@pytest.mark.parametrize("params", [{"care_type": "massage"}, {"page": "0"}, {"cpts": "inconnue"}])
def test_tampered_parameters_get_a_french_error_not_a_crash(client, directory, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "offres trouvées" not in text(response)
    assert 'class="errorlist' in response.content.decode()


def test_an_inactive_service_does_not_appear_in_the_cpts_directory(client, directory):
    assert Service.objects.filter(status="inactive").exists()
    page = text(client.get(reverse("directory:cpts_directory", args=[NORD])))
    assert "Cabinet fermé" not in page
