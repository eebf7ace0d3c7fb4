"""Applying an import: all of it, or nothing.

The file is validated again inside the transaction that writes it, so that
what is written is what the directory looks like at that moment (another
coordinator may have edited an entry since the preview). Every write goes
through ``directory.services``, which authorises, validates and keeps the
history; any failure, expected or not, rolls the whole import back.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oncolien.accounts.authorization import authorize
from oncolien.directory.importing.reading import Table
from oncolien.directory.importing.validation import ImportPlan, Progress, validate
from oncolien.directory.importing.verdicts import UNCHANGED, Verdicts
from oncolien.directory.services import (
    DIRECTORY_EDIT,
    location_save,
    organization_save,
    service_save,
)

SERVICE_RELATIONS = ("professions", "labels", "communes_served")


class ImportRefused(Exception):
    """The file has errors (now): nothing was written. `verdicts` says which rows."""

    def __init__(self, verdicts: Verdicts):
        super().__init__("Le fichier comporte des erreurs : rien n'a été modifié.")
        self.verdicts = verdicts


class ImportFailed(Exception):
    """A write was refused while applying; everything was rolled back. French message."""


def import_table(
    table: Table, *, cpts, actor, filename: str, progress: Progress | None = None
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
def _at_line(line: int):
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


def apply_plan(plan: ImportPlan, *, actor, cpts, progress: Progress | None = None) -> None:
    """Write a valid plan. Must run inside the caller's transaction."""
    steps = [
        item
        for item in (*plan.organizations, *plan.locations, *plan.services)
        if item.action != UNCHANGED
    ]
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress("application", done, len(steps))

    organizations = {}
    for item in plan.organizations:
        if item.action == UNCHANGED:
            organizations[item.key] = item.existing
            continue
        with _at_line(item.lines[0]):
            saved = organization_save(
                actor=actor, cpts=cpts, organization=item.existing, **item.values
            )
        organizations[item.key] = saved.obj
        step()

    locations = {}
    for item in plan.locations:
        if item.action == UNCHANGED:
            locations[item.key] = item.existing
            continue
        values = dict(item.values)
        commune = values.pop("commune")
        latitude, longitude = values.pop("latitude", None), values.pop("longitude", None)
        if "latitude" not in item.values and item.existing and item.existing.coordinates_given:
            # The file has no coordinate columns: keep the coordinates typed earlier.
            latitude, longitude = item.existing.latitude, item.existing.longitude
        with _at_line(item.lines[0]):
            saved = location_save(
                actor=actor,
                organization=organizations[item.organization.key],
                commune=commune,
                location=item.existing,
                latitude=latitude,
                longitude=longitude,
                **values,
            )
        locations[item.key] = saved.obj
        step()

    for item in plan.services:
        if item.action == UNCHANGED:
            continue
        relations = {
            name: list(getattr(item.existing, name).all()) if item.existing else []
            for name in SERVICE_RELATIONS
        }
        relations.update(item.relations)
        with _at_line(item.lines[0]):
            service_save(
                actor=actor,
                organization=organizations[item.organization.key],
                service=item.existing,
                locations=[locations[location.key] for location in item.locations],
                **relations,
                **item.values,
            )
        step()
