"""Test data for sectors, through the real services."""

from oncolien.accounts.models import Membership, Role, User
from oncolien.sectors.services import sector_save
from oncolien.territories.models import Commune, Cpts


def make_nurse(username: str, cpts: Cpts, *, first_name: str = "", last_name: str = "Test"):
    user = User.objects.create_user(
        username=username,
        password="mot-de-passe-de-test-42",
        first_name=first_name or username.split(".")[0].capitalize(),
        last_name=last_name,
        email=f"{username}@test.invalid",
    )
    Membership.objects.create(user=user, role=Role.COORDINATING_NURSE, cpts=cpts)
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # as after a full log-in
    return user


def make_sector(*, actor, cpts: Cpts, name: str, communes: list[str], nurses=()):
    return sector_save(
        actor=actor,
        cpts=cpts,
        name=name,
        communes=list(Commune.objects.filter(name__in=communes, department__code="12")),
        nurses=list(nurses),
    )
