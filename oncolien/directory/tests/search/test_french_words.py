"""How people write French: feminine and masculine forms, plurals, word families.

Measured on the demo directory, through the JSON API and the public page, as
a patient would search.
"""

import re

import pytest
from django.urls import reverse

from oncolien.directory.demo import load_demo_directory

API = "/api/v1/directory/services"


@pytest.fixture
def demo(base_data):
    load_demo_directory()


def count(client, words: str) -> int:
    response = client.get(API, {"q": words})
    assert response.status_code == 200
    return response.json()["count"]


def page_count(client, words: str) -> int:
    page = client.get(reverse("directory:search"), {"q": words}).content.decode()
    found = re.search(r"(\d+) offres? trouvées?", page)
    return int(found.group(1)) if found else 0


FORMS = [
    ("diététicienne", "diététicien"),
    ("diététiciennes", "diététiciens"),
    ("sophrologue", "sophrologie"),
    ("assistante sociale", "assistant social"),
    ("assistants sociaux", "assistant social"),
    ("infirmière", "infirmier"),
    ("psychologues", "psychologue"),
    ("socio-esthéticienne", "socio-esthétique"),
    ("enseignante APA", "enseignant en activité physique adaptée"),
    ("enseignant·e APA", "enseignant APA"),
]


def test_both_forms_of_a_word_find_the_same_services(client, demo):
    # One load of the demo directory for every pair: each count is compared.
    found = {(typed, other): (count(client, typed), count(client, other)) for typed, other in FORMS}
    assert {pair: counts for pair, counts in found.items() if counts[0] != counts[1]} == {}
    assert {pair: counts for pair, counts in found.items() if counts[0] == 0} == {}


def test_the_examples_of_the_issue_on_the_page_and_in_the_api(client, demo):
    assert count(client, "diététicienne") == count(client, "diététicien") >= 5
    assert page_count(client, "diététicienne") == count(client, "diététicien")
    assert count(client, "sophrologue") == page_count(client, "sophrologue") >= 3
    assert count(client, "assistante sociale") == count(client, "assistant social") >= 6
    assert page_count(client, "assistante sociale") == count(client, "assistant social")
