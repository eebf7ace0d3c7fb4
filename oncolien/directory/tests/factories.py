"""Test data for the directory, written through the real services (no shortcuts)."""

from collections.abc import Sequence
from decimal import Decimal

from oncolien.accounts.models import Membership, Role, User
from oncolien.directory.models import Organization, OrganizationKind, Service
from oncolien.directory.services import location_save, organization_save, service_save
from oncolien.reference.models import CareType, Profession
from oncolien.territories.models import Commune, Cpts


def curator() -> User:
    """An administrator who may curate every CPTS, for building test data."""
    user, created = User.objects.get_or_create(username="curateur.tests")
    if created:
        Membership.objects.create(user=user, role=Role.ADMINISTRATOR)
    return user


def make_service(
    *,
    cpts: Cpts | str,
    name: str,
    care_types: list[str],
    commune: str,
    organization: str | None = None,
    kind: str = OrganizationKind.ASSOCIATION,
    professions: Sequence[str] = (),
    description: str = "",
    cost: str = "free",
    remaining_cost_amount: Decimal | None = None,
    **service_values,
) -> Service:
    """A service of an organisation (created if needed) at one location in `commune` (INSEE).

    `care_types` and `professions` are reference codes.
    """
    if isinstance(cpts, str):
        cpts = Cpts.objects.get(slug=cpts)
    actor = curator()
    org_name = organization or f"Structure {name}"
    org = Organization.objects.filter(cpts=cpts, name=org_name).first()
    if org is None:
        org = organization_save(actor=actor, cpts=cpts, name=org_name, kind=kind).obj
    place = Commune.objects.get(insee_code=commune)
    location = org.locations.filter(commune=place).first() or (
        location_save(
            actor=actor, organization=org, commune=place, address="1 place de la Mairie"
        ).obj
    )
    return service_save(
        actor=actor,
        organization=org,
        name=name,
        description=description,
        care_types=CareType.objects.filter(code__in=care_types),
        professions=Profession.objects.filter(code__in=professions),
        locations=[location],
        cost=cost,
        remaining_cost_amount=remaining_cost_amount,
        **service_values,
    ).obj
