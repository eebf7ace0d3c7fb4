"""Load the versioned reference file (``data/sos_reference.json``) into the database.

The whole file is validated before anything is written, and the writes happen in
one transaction: a refused file changes nothing. Loading is idempotent (rows are
matched by code), and rows that disappear from the file are kept but marked
inactive, because directory services and pathways will point at them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from oncolien.json_documents import json_object

from .models import (
    CareType,
    CareTypeProfession,
    Notice,
    Phase,
    PhaseDescription,
    Profession,
    ReferenceDataVersion,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "sos_reference.json"

BASKET_SIZE = 9
CORE_SIZE = 4
DEFINITION_NOTICE_CODE = "definition"
CAUTION_NOTICE_CODE = "non_conventional_practices"
REQUIRED_NOTICE_CODES = (DEFINITION_NOTICE_CODE, CAUTION_NOTICE_CODE)

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# Expected keys per object, with their type: True means required.
_TOP_KEYS = {
    "version": (str, True),
    "sources": (list, True),
    "professions": (list, True),
    "care_types": (list, True),
    "phases": (list, True),
    "notices": (list, True),
}
_SOURCE_KEYS = {
    "title": (str, True),
    "publisher": (str, False),
    "date": (str, False),
    "url": (str, False),
    "note": (str, False),
}
_PROFESSION_KEYS = {"code": (str, True), "name": (str, True)}
_CARE_TYPE_KEYS = {
    "code": (str, True),
    "name": (str, True),
    "short_description": (str, True),
    "basket": (bool, True),
    "is_core": (bool, True),
    "position": (int, True),
    "professions": (list, True),
    "source": (str, False),
}
_PHASE_KEYS = {"code": (str, True), "title": (str, True), "description": (str, True)}
_NOTICE_KEYS = {
    "code": (str, True),
    "title": (str, True),
    "body": (str, True),
    "link": (str, False),
    "link_label": (str, False),
}

# Database column limits, checked here so that a long text is refused in French
# before any write rather than failing half-way through the transaction.
_MAX_LENGTHS = {"version": 50, "name": 200, "title": 200, "link_label": 200, "source": 300}
_MAX_POSITION = 32767

_TYPE_NAMES = {
    str: "un texte",
    bool: "un booléen (true ou false)",
    int: "un entier",
    list: "une liste",
    dict: "un objet",
}


class ReferenceDataError(Exception):
    """The reference file is refused; ``errors`` lists every problem found, in French."""

    def __init__(self, errors: list[str], *, source: str) -> None:
        self.errors = errors
        self.source = source
        lines = "\n".join(f"- {error}" for error in errors)
        super().__init__(
            f"Le fichier de référence {source} est refusé, rien n'a été modifié :\n{lines}"
        )


@dataclass(frozen=True)
class ProfessionData:
    code: str
    name: str


@dataclass(frozen=True)
class CareTypeData:
    code: str
    name: str
    short_description: str
    basket: bool
    is_core: bool
    position: int
    professions: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class PhaseData:
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class NoticeData:
    code: str
    title: str
    body: str
    link: str = ""
    link_label: str = ""


@dataclass(frozen=True)
class ReferenceData:
    """The content of a validated reference file."""

    version: str
    checksum: str
    sources: list[dict[str, str]]
    professions: list[ProfessionData]
    care_types: list[CareTypeData]
    phases: list[PhaseData]
    notices: list[NoticeData]


@dataclass
class LoadSummary:
    """What a load did; ``as_text()`` gives the French summary printed by the command."""

    version: str
    checksum: str
    source: str
    basket_count: int = 0
    core_count: int = 0
    outside_basket_count: int = 0
    care_types_created: int = 0
    care_types_updated: int = 0
    care_types_unchanged: int = 0
    care_types_deactivated: int = 0
    professions_created: int = 0
    professions_updated: int = 0
    professions_unchanged: int = 0
    professions_deactivated: int = 0
    links_added: int = 0
    links_removed: int = 0
    links_reordered: int = 0
    phases: int = 0
    notices: int = 0
    notices_removed: int = 0
    new_version: bool = True
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.care_types_created,
                self.care_types_updated,
                self.care_types_deactivated,
                self.professions_created,
                self.professions_updated,
                self.professions_deactivated,
                self.links_added,
                self.links_removed,
                self.links_reordered,
                self.notices_removed,
            )
        )

    def as_text(self) -> str:
        care_total = self.basket_count + self.outside_basket_count
        profession_total = (
            self.professions_created + self.professions_updated + self.professions_unchanged
        )
        lines = [
            f"Données de référence « {self.version} » chargées depuis {self.source} "
            f"(empreinte {self.checksum[:12]}).",
            f"Soins de support : {care_total} dans le fichier ({self.basket_count} du panier "
            f"INCa dont {self.core_count} socles, {self.outside_basket_count} hors panier) — "
            f"créés : {self.care_types_created}, mis à jour : {self.care_types_updated}, "
            f"inchangés : {self.care_types_unchanged}, désactivés : {self.care_types_deactivated}.",
            f"Professions : {profession_total} dans le fichier — "
            f"créées : {self.professions_created}, mises à jour : {self.professions_updated}, "
            f"inchangées : {self.professions_unchanged}, "
            f"désactivées : {self.professions_deactivated}.",
            f"Liens soin–profession : ajoutés : {self.links_added}, "
            f"retirés : {self.links_removed}, réordonnés : {self.links_reordered}.",
            f"Phases du parcours : {self.phases}. Notices : {self.notices} "
            f"(supprimées : {self.notices_removed}).",
        ]
        if not self.new_version:
            lines.append("Ce fichier était déjà chargé.")
        lines.extend(f"Attention : {warning}" for warning in self.warnings)
        return "\n".join(lines)


# --- validation ----------------------------------------------------------------------------


def _is_type(value: Any, expected: type) -> bool:
    # bool is a subclass of int in Python: keep them apart so that "position": true is refused.
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _check_object(
    obj: Any, keys: Mapping[str, tuple[type, bool]], where: str, errors: list[str]
) -> bool:
    """Check an object's keys and value types; return False if it cannot be read further."""
    if not isinstance(obj, dict):
        errors.append(f"{where} doit être un objet.")
        return False
    ok = True
    for key in obj:
        if key not in keys:
            errors.append(f"Clé inconnue « {key} » dans {where}.")
            ok = False
    for key, (expected, required) in keys.items():
        if key not in obj:
            if required:
                errors.append(f"Clé obligatoire « {key} » absente dans {where}.")
                ok = False
            continue
        if not _is_type(obj[key], expected):
            errors.append(f"Dans {where}, « {key} » doit être {_TYPE_NAMES[expected]}.")
            ok = False
        elif expected is str and required and not obj[key].strip():
            errors.append(f"Dans {where}, « {key} » ne doit pas être vide.")
            ok = False
        elif expected is str and len(obj[key]) > _MAX_LENGTHS.get(key, len(obj[key])):
            errors.append(f"Dans {where}, « {key} » dépasse {_MAX_LENGTHS[key]} caractères.")
            ok = False
        elif expected is int and not 0 <= obj[key] <= _MAX_POSITION:
            errors.append(f"Dans {where}, « {key} » doit être compris entre 0 et {_MAX_POSITION}.")
            ok = False
    return ok


def _check_codes(items: list[Any], label: str, errors: list[str]) -> None:
    seen: set[str] = set()
    for item in items:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            continue
        if not _CODE_RE.match(code):
            errors.append(
                f"Code « {code} » invalide dans {label} : lettres minuscules, chiffres et « _ », "
                "64 caractères au plus, commençant par une lettre."
            )
        if code in seen:
            errors.append(f"Code en double « {code} » dans {label}.")
        seen.add(code)


def _where(section: str, index: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    if isinstance(code, str):
        return f"{section}[{index}] (« {code} »)"
    return f"{section}[{index}]"


def parse_reference(raw: bytes, *, source: str = "fourni") -> ReferenceData:
    """Validate a reference file's bytes; raise ReferenceDataError listing every problem."""
    checksum = hashlib.sha256(raw).hexdigest()
    document = json_object(raw, refused=ReferenceDataError, source=source)
    errors: list[str] = []
    _check_object(document, _TOP_KEYS, "le document", errors)

    def section(name: str) -> list[Any]:
        value = document.get(name)
        return value if isinstance(value, list) else []

    for index, item in enumerate(section("sources")):
        if _check_object(item, _SOURCE_KEYS, f"sources[{index}]", errors) and item.get("url"):
            _check_url(item["url"], f"sources[{index}]", errors)
    if document.get("sources") == []:
        errors.append("La liste « sources » ne doit pas être vide.")

    professions = section("professions")
    for index, item in enumerate(professions):
        _check_object(item, _PROFESSION_KEYS, _where("professions", index, item), errors)
    _check_codes(professions, "professions", errors)
    names: set[str] = set()
    for item in professions:
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name.strip().casefold() in names:
            # One profession is one row, however many cares it may deliver.
            errors.append(f"Profession en double sous deux codes : « {name} ».")
        elif isinstance(name, str):
            names.add(name.strip().casefold())
    profession_codes = {
        item["code"] for item in professions if isinstance(item, dict) and "code" in item
    }

    care_types = section("care_types")
    valid_cares = []
    for index, item in enumerate(care_types):
        where = _where("care_types", index, item)
        if not _check_object(item, _CARE_TYPE_KEYS, where, errors):
            continue
        valid_cares.append(item)
        if item["is_core"] and not item["basket"]:
            errors.append(
                f"Le soin « {item['code']} » est déclaré socle (is_core) "
                "sans faire partie du panier (basket)."
            )
        if item["basket"] and not item["professions"]:
            errors.append(f"Le soin du panier « {item['code']} » n'a aucune profession habilitée.")
        seen: set[Any] = set()
        for profession in item["professions"]:
            if not isinstance(profession, str):
                errors.append(f"Dans {where}, « professions » doit être une liste de codes.")
                continue
            if profession not in profession_codes:
                errors.append(
                    f"Le soin « {item['code']} » cite une profession inconnue « {profession} »."
                )
            if profession in seen:
                errors.append(
                    f"Le soin « {item['code']} » cite deux fois la profession « {profession} »."
                )
            seen.add(profession)
    _check_codes(care_types, "care_types", errors)
    if "care_types" in document:
        basket = sum(1 for item in valid_cares if item["basket"])
        core = sum(1 for item in valid_cares if item["is_core"])
        if basket != BASKET_SIZE:
            errors.append(
                f"Le panier INCa doit compter exactement {BASKET_SIZE} soins ; "
                f"le fichier en déclare {basket}."
            )
        if core != CORE_SIZE:
            errors.append(
                f"Le panier INCa doit compter exactement {CORE_SIZE} soins socles ; "
                f"le fichier en déclare {core}."
            )

    phases = section("phases")
    for index, item in enumerate(phases):
        where = _where("phases", index, item)
        if _check_object(item, _PHASE_KEYS, where, errors) and item["code"] not in Phase.values:
            errors.append(
                f"Phase inconnue « {item['code']} » dans {where} ; "
                f"phases attendues : {', '.join(Phase.values)}."
            )
    _check_codes(phases, "phases", errors)
    if "phases" in document:
        phase_codes = {item.get("code") for item in phases if isinstance(item, dict)}
        for missing in (code for code in Phase.values if code not in phase_codes):
            errors.append(f"La phase « {missing} » est absente de « phases ».")

    notices = section("notices")
    for index, item in enumerate(notices):
        where = _where("notices", index, item)
        if _check_object(item, _NOTICE_KEYS, where, errors) and item.get("link"):
            _check_url(item["link"], where, errors)
    _check_codes(notices, "notices", errors)
    if "notices" in document:
        notice_codes = {item.get("code") for item in notices if isinstance(item, dict)}
        for missing in (code for code in REQUIRED_NOTICE_CODES if code not in notice_codes):
            errors.append(f"La notice obligatoire « {missing} » est absente de « notices ».")

    if errors:
        raise ReferenceDataError(errors, source=source)

    return ReferenceData(
        version=document["version"].strip(),
        checksum=checksum,
        sources=document["sources"],
        professions=[ProfessionData(code=p["code"], name=p["name"]) for p in professions],
        care_types=[
            CareTypeData(
                code=c["code"],
                name=c["name"],
                short_description=c["short_description"],
                basket=c["basket"],
                is_core=c["is_core"],
                position=c["position"],
                professions=tuple(c["professions"]),
                source=c.get("source", ""),
            )
            for c in care_types
        ],
        phases=[PhaseData(**p) for p in phases],
        notices=[NoticeData(**n) for n in notices],
    )


def _check_url(value: str, where: str, errors: list[str]) -> None:
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        errors.append(f"Dans {where}, le lien « {value} » n'est pas une adresse web valide.")


# --- writing -------------------------------------------------------------------------------


def load_reference(path: Path | None = None) -> LoadSummary:
    """Validate then load a reference file (the shipped one by default) into the database."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReferenceDataError(
            [f"Lecture impossible : {exc.strerror or exc}."], source=str(path)
        ) from None
    data = parse_reference(raw, source=str(path))
    return _write(data, source=str(path))


@transaction.atomic
def _write(data: ReferenceData, *, source: str) -> LoadSummary:
    summary = LoadSummary(version=data.version, checksum=data.checksum, source=source)
    summary.basket_count = sum(1 for care in data.care_types if care.basket)
    summary.core_count = sum(1 for care in data.care_types if care.is_core)
    summary.outside_basket_count = len(data.care_types) - summary.basket_count

    profession_ids = _upsert_professions(data.professions, summary)
    care_type_ids = _upsert_care_types(data.care_types, summary)
    _sync_links(data.care_types, care_type_ids, profession_ids, summary)
    _write_phases(data.phases, summary)
    _write_notices(data.notices, summary)
    _record_version(data, summary)
    return summary


def _upsert_professions(items: list[ProfessionData], summary: LoadSummary) -> dict[str, int]:
    existing = {profession.code: profession for profession in Profession.objects.all()}
    to_create, to_update = [], []
    for item in items:
        profession = existing.get(item.code)
        if profession is None:
            to_create.append(Profession(code=item.code, name=item.name, active=True))
        elif profession.name != item.name or not profession.active:
            profession.name, profession.active = item.name, True
            to_update.append(profession)
        else:
            summary.professions_unchanged += 1
    Profession.objects.bulk_create(to_create)
    Profession.objects.bulk_update(to_update, ["name", "active"])
    summary.professions_created = len(to_create)
    summary.professions_updated = len(to_update)

    codes = {item.code for item in items}
    summary.professions_deactivated = (
        Profession.objects.filter(active=True).exclude(code__in=codes).update(active=False)
    )
    return dict(Profession.objects.filter(code__in=codes).values_list("code", "id"))


_CARE_TYPE_FIELDS = ("name", "short_description", "basket", "is_core", "position", "source")


def _upsert_care_types(items: list[CareTypeData], summary: LoadSummary) -> dict[str, int]:
    existing = {care_type.code: care_type for care_type in CareType.objects.all()}
    to_create, to_update = [], []
    for item in items:
        values = {name: getattr(item, name) for name in _CARE_TYPE_FIELDS}
        care_type = existing.get(item.code)
        if care_type is None:
            to_create.append(CareType(code=item.code, active=True, **values))
            continue
        if care_type.active and all(getattr(care_type, k) == v for k, v in values.items()):
            summary.care_types_unchanged += 1
            continue
        for name, value in values.items():
            setattr(care_type, name, value)
        care_type.active = True
        to_update.append(care_type)
    CareType.objects.bulk_create(to_create)
    CareType.objects.bulk_update(to_update, [*_CARE_TYPE_FIELDS, "active"])
    summary.care_types_created = len(to_create)
    summary.care_types_updated = len(to_update)

    codes = {item.code for item in items}
    summary.care_types_deactivated = (
        CareType.objects.filter(active=True).exclude(code__in=codes).update(active=False)
    )
    return dict(CareType.objects.filter(code__in=codes).values_list("code", "id"))


def _sync_links(
    items: list[CareTypeData],
    care_type_ids: dict[str, int],
    profession_ids: dict[str, int],
    summary: LoadSummary,
) -> None:
    """Make each care type in the file link exactly the professions it lists, in its order."""
    wanted = {
        (care_type_ids[item.code], profession_ids[code]): position
        for item in items
        for position, code in enumerate(item.professions, start=1)
    }
    current = {
        (link.care_type_id, link.profession_id): link
        for link in CareTypeProfession.objects.filter(care_type_id__in=care_type_ids.values())
    }
    to_remove = [link.pk for key, link in current.items() if key not in wanted]
    to_reorder = []
    for key, link in current.items():
        if key in wanted and link.position != wanted[key]:
            link.position = wanted[key]
            to_reorder.append(link)
    to_add = [
        CareTypeProfession(care_type_id=care_type_id, profession_id=profession_id, position=pos)
        for (care_type_id, profession_id), pos in sorted(wanted.items())
        if (care_type_id, profession_id) not in current
    ]
    CareTypeProfession.objects.filter(pk__in=to_remove).delete()
    CareTypeProfession.objects.bulk_update(to_reorder, ["position"])
    CareTypeProfession.objects.bulk_create(to_add)
    summary.links_added = len(to_add)
    summary.links_removed = len(to_remove)
    summary.links_reordered = len(to_reorder)


def _write_phases(items: list[PhaseData], summary: LoadSummary) -> None:
    order = {code: position for position, code in enumerate(Phase.values, start=1)}
    for item in items:
        PhaseDescription.objects.update_or_create(
            phase=item.code,
            defaults={
                "title": item.title,
                "description": item.description,
                "position": order[item.code],
            },
        )
    summary.phases = len(items)


def _write_notices(items: list[NoticeData], summary: LoadSummary) -> None:
    for position, item in enumerate(items, start=1):
        Notice.objects.update_or_create(
            code=item.code,
            defaults={
                "title": item.title,
                "body": item.body,
                "link": item.link,
                "link_label": item.link_label,
                "position": position,
            },
        )
    # Nothing else points at notices, so one dropped from the file is simply removed.
    summary.notices_removed, _ = Notice.objects.exclude(
        code__in=[item.code for item in items]
    ).delete()
    summary.notices = len(items)


def _record_version(data: ReferenceData, summary: LoadSummary) -> None:
    current = ReferenceDataVersion.objects.order_by("-loaded_at").first()
    if current and current.version == data.version and current.checksum != data.checksum:
        summary.warnings.append(
            f"la version « {data.version} » était déjà chargée avec un contenu différent ; "
            "changez le numéro de version quand vous modifiez le fichier."
        )
    _, created = ReferenceDataVersion.objects.update_or_create(
        checksum=data.checksum,
        defaults={"version": data.version, "sources": data.sources, "loaded_at": timezone.now()},
    )
    summary.new_version = created
