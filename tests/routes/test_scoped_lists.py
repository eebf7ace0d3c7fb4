"""Lists scoped to the user: the outsider gets his own (200) and no Nord Aveyron patient."""

import json

import pytest

from tests.routes.routes import is_api_key, label, send, url_of
from tests.routes.table import SCOPED
from tests.routes.world import PATIENT_LAST_NAME

pytestmark = pytest.mark.django_db


def _get(client, key, world):
    response = send(
        client,
        "GET",
        url_of(key, SCOPED[key].kwargs(world)),
        api_call=is_api_key(key),
        body={},
        query={},
    )
    assert response.status_code == 200, response.content[:300]
    if is_api_key(key):
        return response.json()
    return response.content.decode()


def _ids(data) -> set[int]:
    """The values of every "id" and "pathway_id" in a JSON answer."""
    found = set()
    if isinstance(data, dict):
        found |= {v for k, v in data.items() if k in ("id", "pathway_id") and isinstance(v, int)}
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found |= _ids(item)
    return found


def _marker(key, world) -> str:
    marker = SCOPED[key].marker
    return (marker(world) if marker else PATIENT_LAST_NAME).casefold()


def _text(data) -> str:
    return data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)


CASES = [
    pytest.param(key, persona, id=f"{persona}-{label(key)}")
    for key, scoped in SCOPED.items()
    for persona in scoped.personas
]


@pytest.mark.parametrize(("key", "persona"), CASES)
def test_a_scoped_list_shows_no_patient_of_another_cpts(request, world, login, key, persona):
    data = _get(login(request.getfixturevalue(persona)), key, world)
    assert _marker(key, world) not in _text(data).casefold()
    if is_api_key(key):
        assert world.pathway.pk not in _ids(data)


SHOWN = [
    pytest.param(key, id=f"{scoped.shown_to}-{label(key)}")
    for key, scoped in SCOPED.items()
    if scoped.shown_to
]


@pytest.mark.parametrize("key", SHOWN)
def test_the_same_list_shows_the_patient_to_their_cpts(request, world, login, key):
    data = _get(login(request.getfixturevalue(SCOPED[key].shown_to)), key, world)
    assert _marker(key, world) in _text(data).casefold()
