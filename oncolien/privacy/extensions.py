"""What other apps plug into the patient's data rights: what they hold about a
patient, and how they erase it.

The right of access (export) and the anonymisation (on request, or at the end of
the retention period) must reach every row about the patient, in every app. An
app that keeps such rows declares a `PatientDataPart` in its own
`privacy_parts.py` and registers it in `AppConfig.ready()`; the privacy app never
imports the other apps' modules, and a new app that forgets its part is caught by
the test that searches every table for a patient's name after anonymisation
(privacy/tests/test_anonymisation.py).

A part receives the pathways of one patient, already authorised by the privacy
app (or chosen by the retention task), and must keep to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from oncolien.pathways.models import Pathway


@dataclass(frozen=True)
class HeldSection:
    """A section of the export: rows of one kind, shown field by field."""

    key: str
    title: str
    rows: Sequence[models.Model]
    # Fields never shown (secrets such as a link's token hash, a PDF's bytes).
    hidden: frozenset[str] = frozenset()
    # {field: function(row) → French text} for a field whose value is a structure of
    # codes (a questionnaire's answers, side effects): the JSON keeps the structure
    # beside that text, the PDF shows the text.
    described: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PatientDataPart:
    """What one app holds about a patient, and how it erases it.

    `held` returns the sections of the export; `erase` blanks the identifying and
    free-text content of the same rows, keeps what the indicators count (dates,
    statuses, codes), and returns how many rows it changed per kind.
    """

    name: str
    held: Callable[[Sequence[Pathway]], list[HeldSection]]
    erase: Callable[[Sequence[Pathway]], dict[str, int]]


_parts: list[PatientDataPart] = []


def register_patient_data_part(part: PatientDataPart) -> None:
    # AppConfig.ready() may run more than once (tests, management commands).
    if all(known.name != part.name for known in _parts):
        _parts.append(part)


def patient_data_parts() -> list[PatientDataPart]:
    return list(_parts)
