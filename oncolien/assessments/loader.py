"""Loading instrument files (data/*.json) into `InstrumentVersion` rows.

Idempotent: a file already loaded with the same content changes nothing. A file whose
content changed under a version number already loaded is refused, because responses
point at that version and must keep reading and scoring as they did.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from oncolien.assessments.engine import InstrumentError, validate_definition
from oncolien.assessments.models import InstrumentVersion
from oncolien.assessments.surveys import check_survey
from oncolien.reference.models import CareType

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadSummary:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        return (
            f"Questionnaires chargés : {len(self.created)} nouveau(x), "
            f"{len(self.unchanged)} déjà à jour."
        )


def checksum_of(definition: dict) -> str:
    """The same for the same content, whatever the key order or indentation of the file."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_definition(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InstrumentError([f"{path.name} : lecture impossible ({error.strerror})."]) from None
    except json.JSONDecodeError as error:
        raise InstrumentError(
            [f"{path.name} : JSON invalide ligne {error.lineno}, colonne {error.colno}."]
        ) from None


def load_definition(definition: dict, *, source: str = "") -> tuple[InstrumentVersion, bool]:
    """Validate one instrument and store it; returns (version, created)."""
    care_types = set(CareType.objects.values_list("code", flat=True))
    try:
        validate_definition(definition, care_types=care_types)
        if survey_errors := check_survey(definition):
            raise InstrumentError(survey_errors)
    except InstrumentError as error:
        prefix = f"{source} : " if source else ""
        raise InstrumentError([prefix + m for m in error.messages]) from None
    checksum = checksum_of(definition)
    existing = InstrumentVersion.objects.filter(
        code=definition["code"], version=definition["version"]
    ).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise InstrumentError(
                [
                    f"{source or definition['code']} : le contenu de la version "
                    f"{definition['version']} a changé alors qu'elle est déjà chargée. "
                    "Donnez un nouveau numéro de version au questionnaire modifié."
                ]
            )
        return existing, False
    version = InstrumentVersion.objects.create(
        code=definition["code"],
        version=definition["version"],
        title=definition["title"],
        audience=definition["audience"],
        definition=definition,
        checksum=checksum,
    )
    return version, True


@transaction.atomic
def load_instruments(paths: list[Path] | None = None) -> LoadSummary:
    """Load the shipped instruments (or `paths`); all or nothing."""
    paths = sorted(DATA_DIR.glob("*.json")) if paths is None else [Path(p) for p in paths]
    summary = LoadSummary()
    errors: list[str] = []
    for path in paths:
        try:
            version, created = load_definition(read_definition(path), source=path.name)
        except InstrumentError as error:
            errors.extend(error.messages)
            continue
        (summary.created if created else summary.unchanged).append(str(version))
    if errors:
        # Nothing is kept from a load that found any error (the transaction rolls back).
        raise InstrumentError(errors)
    return summary
