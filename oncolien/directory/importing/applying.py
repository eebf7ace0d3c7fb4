"""Applying an import: all of it, or nothing.

The file is validated again inside the transaction that writes it, so that
what is written is what the directory looks like at that moment (another
coordinator may have edited an entry since the preview). Every write goes
through ``directory.services``, which authorises, validates and keeps the
history; any failure, expected or not, rolls the whole import back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.directory.importing.validation import (
    ImportPlan,
    LocationPlan,
    OrganizationPlan,
    Progress,
    ServicePlan,
    validate,
)
from oncolien.directory.importing.verdicts import UNCHANGED, Verdicts
from oncolien.directory.models import Location, Organization
from oncolien.directory.services import (
    DIRECTORY_EDIT,
    location_save,
    organization_save,
    service_save,
)
from oncolien.table_reading import Table
from oncolien.territories.models import Cpts

SERVICE_RELATIONS = ("professions", "labels", "communes_served")


class ImportRefused(Exception):
    """The file has errors (now): nothing was written. `verdicts` says which rows."""

    def __init__(self, verdicts: Verdicts):
        super().__init__("Le fichier comporte des erreurs : rien n'a été modifié.")
        self.verdicts = verdicts


class ImportFailed(Exception):
    """A write was refused while applying; everything was rolled back. French message."""


def import_table(
    table: Table, *, cpts: Cpts, actor: User, filename: str, progress: Progress | None = None
) -> Verdicts:
    """Validate and apply `table` to the directory of `cpts` in one transaction.

    Returns the verdicts (their summary counts what was created and updated);
    raises ImportRefused when a row has an error, ImportFailed when a write is
    refused, AccessDenied when `actor` may not edit this directory.
    """
    authorize(actor, DIRECTORY_EDIT, cpts)
    with transaction.atomic():
        plan = validate(table, cpts=cpts, filename=filename, progress=progress)
        if not plan.can_apply:
            raise ImportRefused(plan.verdicts)
        apply_plan(plan, actor=actor, cpts=cpts, progress=progress)
    return plan.verdicts


@contextmanager
def _at_line(line: int) -> Iterator[None]:
    """Turn a refused write into a French message naming the line of the file."""
    try:
        yield
    except ValidationError as error:
        details = " ".join(error.messages)
        raise ImportFailed(
            f"Ligne {line} : l'enregistrement a été refusé ({details}). Rien n'a été modifié."
        ) from error
    except IntegrityError as error:
        raise ImportFailed(
            f"Ligne {line} : l'enregistrement contredit une autre entrée de l'annuaire. "
            "Rien n'a été modifié."
        ) from error


def apply_plan(
    plan: ImportPlan, *, actor: User, cpts: Cpts, progress: Progress | None = None
) -> None:
    """Write a valid plan. Must run inside the caller's transaction."""
    items: list[OrganizationPlan | LocationPlan | ServicePlan] = [
        *plan.organizations,
        *plan.locations,
        *plan.services,
    ]
    steps = [item for item in items if item.action != UNCHANGED]
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress("application", done, len(steps))

    organizations: dict[str, Organization] = {}
    for org_item in plan.organizations:
        if org_item.action == UNCHANGED:
            # Only a row matching an existing entry is unchanged.
            assert org_item.existing is not None
            organizations[org_item.key] = org_item.existing
            continue
        with _at_line(org_item.lines[0]):
            organization = organization_save(
                actor=actor, cpts=cpts, organization=org_item.existing, **org_item.values
            ).obj
        organizations[org_item.key] = organization
        step()

    locations: dict[tuple[Any, ...], Location] = {}
    for location_item in plan.locations:
        existing = location_item.existing
        if location_item.action == UNCHANGED:
            assert existing is not None
            locations[location_item.key] = existing
            continue
        values = dict(location_item.values)
        commune = values.pop("commune")
        latitude, longitude = values.pop("latitude", None), values.pop("longitude", None)
        if "latitude" not in location_item.values and existing and existing.coordinates_given:
            # The file has no coordinate columns: keep the coordinates typed earlier.
            latitude, longitude = existing.latitude, existing.longitude
        with _at_line(location_item.lines[0]):
            location = location_save(
                actor=actor,
                organization=organizations[location_item.organization.key],
                commune=commune,
                location=existing,
                latitude=latitude,
                longitude=longitude,
                **values,
            ).obj
        locations[location_item.key] = location
        step()

    for service_item in plan.services:
        if service_item.action == UNCHANGED:
            continue
        relations = {
            name: list(getattr(service_item.existing, name).all()) if service_item.existing else []
            for name in SERVICE_RELATIONS
        }
        relations.update(service_item.relations)
        with _at_line(service_item.lines[0]):
            service_save(
                actor=actor,
                organization=organizations[service_item.organization.key],
                service=service_item.existing,
                locations=[locations[location.key] for location in service_item.locations],
                **relations,
                **service_item.values,
            )
        step()
