"""Each swept route that reads patient data is read by someone who may: 200, audited."""

import pytest

from oncolien.audit.models import AuditEntry
from tests.routes.routes import is_api_key, label, send, url_of
from tests.routes.table import SWEPT

pytestmark = pytest.mark.django_db

READS = [
    pytest.param(key, id=f"{swept.read_as}-{label(key)}")
    for key, swept in SWEPT.items()
    if swept.read_as
]


@pytest.mark.parametrize("key", READS)
def test_an_authorised_read_answers_and_is_audited(request, world, login, key):
    swept = SWEPT[key]
    user = request.getfixturevalue(swept.read_as)
    client = login(user)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = send(
        client,
        "GET",
        url_of(key, swept.kwargs(world)),
        api_call=is_api_key(key),
        body={},
        query=swept.query(world),
    )

    assert response.status_code == 200, response.content[:300]
    written = AuditEntry.objects.filter(pk__gt=last)
    assert written.filter(actor=user).exclude(action="access.denied").exists()
    assert not written.filter(action="access.denied").exists()
