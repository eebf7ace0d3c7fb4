import pytest
from django.db import IntegrityError, transaction

from oncolien.accounts.authorization import AccessDenied, authorize, is_allowed
from oncolien.accounts.models import Membership
from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import flush_pending_refusals

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_the_members_of_her_cpts(login, coordinator, nord_aveyron):
    response = login(coordinator).get(f"/compte/cpts/{nord_aveyron.slug}/membres/")
    assert response.status_code == 200
    assert coordinator.get_full_name() in response.content.decode()


def test_an_outsider_gets_404_and_the_denial_is_audited(login, outsider, nord_aveyron):
    response = login(outsider).get(f"/compte/cpts/{nord_aveyron.slug}/membres/")
    assert response.status_code == 404
    denial = AuditEntry.objects.filter(action="access.denied").latest("sequence")
    assert denial.actor_id == outsider.pk
    assert denial.target_type == "territories.cpts"
    assert denial.target_id == str(nord_aveyron.pk)
    assert denial.details == {"permission": "cpts.members.view"}


def test_regional_staff_do_not_see_members(login, regional, nord_aveyron):
    assert login(regional).get(f"/compte/cpts/{nord_aveyron.slug}/membres/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, nord_aveyron):
    response = client.get(f"/compte/cpts/{nord_aveyron.slug}/membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_an_administrator_holds_global_permissions(administrator, nord_aveyron):
    assert is_allowed(administrator, "cpts.members.view", nord_aveyron)
    assert is_allowed(administrator, "audit.view")


def test_a_disabled_account_is_allowed_nothing(coordinator, nord_aveyron):
    coordinator.is_active = False
    assert not is_allowed(coordinator, "cpts.members.view", nord_aveyron)


def test_an_unknown_permission_is_a_programming_error(coordinator):
    with pytest.raises(KeyError):
        is_allowed(coordinator, "no.such.permission")


def test_a_denial_inside_a_transaction_is_written_after_it(outsider, nord_aveyron):
    before = AuditEntry.objects.filter(action="access.denied").count()
    with pytest.raises(AccessDenied) as denied, transaction.atomic():
        authorize(outsider, "cpts.members.view", nord_aveyron)
    # The transaction rolled back; the pending denial is written by the edge.
    assert denied.value is not None
    assert AuditEntry.objects.filter(action="access.denied").count() == before
    assert flush_pending_refusals() == 1
    assert flush_pending_refusals() == 0  # written once only
    assert AuditEntry.objects.filter(action="access.denied").count() == before + 1


def test_a_cpts_role_needs_a_cpts(coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=coordinator, role="coordinating_nurse", cpts=None)


def test_a_regional_role_has_no_cpts(regional, nord_aveyron):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=regional, role="regional", cpts=nord_aveyron)


def test_a_check_on_an_object_of_another_model_is_a_programming_error(coordinator, nord_aveyron):
    # "cpts.members.view" is about a CPTS: handing it anything else must not guess.
    with pytest.raises(ValueError):
        is_allowed(coordinator, "cpts.members.view", coordinator)


def test_a_membership_change_takes_effect_on_the_next_request(login, coordinator, nord_aveyron):
    """The memberships are read once per request (many checks, one query), never kept
    from one request to the next: a role removed or given counts at once."""
    client = login(coordinator)
    url = f"/compte/cpts/{nord_aveyron.slug}/membres/"
    assert client.get(url).status_code == 200

    Membership.objects.filter(user=coordinator).delete()
    assert client.get(url).status_code == 404

    Membership.objects.create(user=coordinator, role="coordinator", cpts=nord_aveyron)
    assert client.get(url).status_code == 200
