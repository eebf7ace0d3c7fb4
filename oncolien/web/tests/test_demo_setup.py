import pytest

from oncolien.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from oncolien.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_cover_every_role_and_load_twice_without_duplicates(base_data):
    load_demo_accounts()
    users, memberships = User.objects.count(), Membership.objects.count()
    load_demo_accounts()
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    roles = set(
        Membership.objects.filter(
            user__username__in=[a.username for a in DEMO_ACCOUNTS]
        ).values_list("role", flat=True)
    )
    assert roles == set(Role.values)


def test_setup_demo_prints_the_demo_logins(call, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out, _ = call("setup_demo", "--region", "76")
    assert "Comptes de démonstration" in out
    assert "coordination.nord-aveyron" in out
    assert (tmp_path / "demo_password").read_text().strip() in out
    # A second run is safe and changes nothing.
    users = User.objects.count()
    call("setup_demo", "--region", "76")
    assert User.objects.count() == users
