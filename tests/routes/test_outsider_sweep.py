"""The outsider sweep: every protected route answers 404 to whoever may not use it,
writes exactly one audited denial, and changes nothing."""

import pytest

from oncolien.audit.models import AuditEntry
from tests.routes.routes import data_snapshot, is_api_key, label, send, url_of
from tests.routes.table import SWEPT

pytestmark = pytest.mark.django_db


def _cases():
    for key, swept in SWEPT.items():
        methods = (key[0],) if is_api_key(key) else swept.methods
        for method in methods:
            # A form page refuses its POST at the same check as its GET: the outsider
            # posts, the other personas are swept on the GET.
            refused = swept.personas
            if method == "POST" and "GET" in methods and "outsider" in refused:
                refused = ("outsider",)
            for persona in refused:
                name = label(key) if is_api_key(key) else f"{method} {label(key)}"
                yield pytest.param(persona, method, key, id=f"{persona}-{name}")


@pytest.mark.parametrize(("persona", "method", "key"), list(_cases()))
def test_a_refused_user_gets_404_and_one_audited_denial(
    request, world, login, persona, method, key
):
    swept = SWEPT[key]
    user = request.getfixturevalue(persona)
    client = login(user)
    url = url_of(key, swept.kwargs(world))
    before = data_snapshot()
    denials = list(AuditEntry.objects.filter(action="access.denied").values_list("pk", flat=True))

    response = send(
        client,
        method,
        url,
        api_call=is_api_key(key),
        body=swept.body(world),
        query=swept.query(world),
    )

    assert response.status_code == 404, response.content[:300]
    if is_api_key(key):
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    new = AuditEntry.objects.filter(action="access.denied").exclude(pk__in=denials)
    assert [entry.actor_id for entry in new] == [user.pk]
    if method != "GET":
        assert data_snapshot() == before
