from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from oncolien.reference.models import CareType, Profession

pytestmark = pytest.mark.django_db


class _Outline(HTMLParser):
    """Collects heading levels and the text of the element with class "notice"."""

    def __init__(self):
        super().__init__()
        self.levels: list[int] = []
        self.notice_text = ""
        self._notice_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.levels.append(int(tag[1]))
        if self._notice_depth:
            self._notice_depth += 1
        elif "notice" in (dict(attrs).get("class") or "").split():
            self._notice_depth = 1

    def handle_endtag(self, tag):
        if self._notice_depth:
            self._notice_depth -= 1

    def handle_data(self, data):
        if self._notice_depth:
            self.notice_text += data


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def get_page(client):
    response = client.get(reverse("reference:care_types"))
    assert response.status_code == 200
    return response.content.decode()


def test_page_is_public_at_soins_de_support(client):
    assert reverse("reference:care_types") == "/soins-de-support/"
    assert client.get("/soins-de-support/").status_code == 200


def test_page_shows_the_nine_basket_cares_with_who_may_deliver_them(client):
    html = get_page(client)

    for care_type in CareType.objects.filter(basket=True):
        assert f'id="soin-{care_type.code}"' in html
        assert escape(care_type.name) in html
    assert "Les 4 soins socles" in html
    assert "Les 5 soins complémentaires du panier" in html
    assert "Enseignant en activité physique adaptée (APA)" in html
    assert "Sage-femme" in html


def test_page_lists_who_may_deliver_a_care_in_the_order_of_the_table(client):
    html = get_page(client)

    assert html.index("Masseur-kinésithérapeute") < html.index("Éducateur sportif")
    assert html.index("Médecin nutritionniste") < html.index("Diététicien")


def test_page_shows_cares_outside_the_basket_and_the_three_phases(client):
    html = get_page(client)

    assert "Les soins complémentaires hors panier" in html
    assert "Socio-esthétique" in html
    assert "Sophrologie" in html
    assert "Parcours diagnostique" in html
    assert "Traitement actif (PPS)" in html
    assert "Après-cancer (PPAC)" in html


def test_page_shows_the_miviludes_notice_in_a_distinct_block(client):
    html = get_page(client)

    notice = outline(html).notice_text
    assert "pratiques dites non conventionnelles" in notice
    assert "MIVILUDES" in notice
    assert 'href="https://www.miviludes.interieur.gouv.fr/"' in html


def test_page_has_one_h1_and_no_skipped_heading_level(client):
    levels = outline(get_page(client)).levels

    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))


def test_page_hides_a_care_withdrawn_from_the_data_file(client):
    CareType.objects.filter(code="sophrology").update(active=False)

    assert "Sophrologie" not in get_page(client)


def test_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        get_page(client)


def test_page_query_count_does_not_grow_with_the_number_of_cares(client, django_assert_num_queries):
    with CaptureQueriesContext(connection) as before:
        get_page(client)
    profession = Profession.objects.create(code="test_profession", name="Profession de test")
    for index in range(5):
        extra = CareType.objects.create(
            code=f"extra_{index}", name=f"Soin de test {index}", basket=False, position=50 + index
        )
        extra.professions.add(profession)

    with django_assert_num_queries(len(before.captured_queries)):
        get_page(client)
