"""Every row's verdict, and the plan of what an import would create or update.

The natural keys that make a re-import update instead of duplicate:

- organisation: within the CPTS, its SIRET, else its FINESS, else its name;
- location: within the organisation, its commune and address;
- service: within the organisation, its name.

Names and addresses are compared without case, accents or punctuation. A
service on several rows (one per location) must be described the same way on
each of them, and so must an organisation or a location used by several rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from oncolien.directory.importing.columns import (
    COLUMN_BY_NAME,
    COLUMNS,
    COMMUNE_COLUMNS,
    column_for_header,
)
from oncolien.directory.importing.rows import Lookups, ParsedRow, parse_row
from oncolien.directory.importing.verdicts import (
    CREATE,
    ERROR,
    OK,
    UNCHANGED,
    UPDATE,
    WARNING,
    RowVerdict,
    Summary,
    Verdicts,
)
from oncolien.directory.models import Location, Organization, Service
from oncolien.table_reading import Table
from oncolien.territories.lookups import normalize_name

# progress(phase, done, total)
Progress = Callable[[str, int, int], None]

ORGANIZATION_COLUMNS = {
    "name": "structure_nom",
    "kind": "structure_type",
    "siret": "structure_siret",
    "finess": "structure_finess",
    "rpps": "structure_rpps",
    "email": "structure_courriel",
    "phone": "structure_telephone",
    "website": "structure_site_web",
    "description": "structure_presentation",
}
SERVICE_COLUMNS = {
    "name": "offre_nom",
    "description": "offre_description",
    "care_types": "soins",
    "professions": "professions",
    "labels": "labels",
    "communes_served": "communes_desservies",
    "for_patients": "public",
    "for_relatives": "public",
    "phase_diagnosis": "phases",
    "phase_treatment": "phases",
    "phase_after_treatment": "phases",
    "access": "acces",
    "cost": "cout",
    "remaining_cost_amount": "reste_a_charge",
    "cost_details": "cout_precisions",
    "is_home_service": "a_domicile",
    "email": "offre_courriel",
    "phone": "offre_telephone",
    "url": "offre_page_web",
    "status": "statut",
    "last_verified_on": "verifiee_le",
}
LOCATION_COLUMNS = {
    "name": "lieu_nom",
    "address": "lieu_adresse",
    "postal_code": "lieu_code_postal",
    "commune": "lieu_commune_insee",
    "latitude": "lieu_latitude",
    "longitude": "lieu_longitude",
    "accessibility": "lieu_accessibilite",
    "opening_hours": "lieu_horaires",
    "phone": "lieu_telephone",
    "email": "lieu_courriel",
}
IDENTIFIER_LABELS = {"siret": "SIRET", "finess": "FINESS"}


@dataclass
class OrganizationPlan:
    key: str
    values: dict
    lines: list[int]
    existing: Organization | None = None
    action: str = CREATE


@dataclass
class LocationPlan:
    key: tuple
    organization: OrganizationPlan
    values: dict
    lines: list[int]
    existing: Location | None = None
    action: str = CREATE


@dataclass
class ServicePlan:
    key: tuple
    organization: OrganizationPlan
    values: dict
    relations: dict
    lines: list[int]
    locations: list[LocationPlan] = field(default_factory=list)
    existing: Service | None = None
    action: str = CREATE


@dataclass
class ImportPlan:
    verdicts: Verdicts
    organizations: list[OrganizationPlan] = field(default_factory=list)
    locations: list[LocationPlan] = field(default_factory=list)
    services: list[ServicePlan] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return self.verdicts.can_apply


def validate(table: Table, *, cpts, filename: str, progress: Progress | None = None) -> ImportPlan:
    """Read every row, check it alone, against the other rows and against the
    directory of `cpts`; say for each what applying would do."""
    verdicts = Verdicts(filename=filename, file_warnings=list(table.warnings))
    positions = _columns(table.headers, verdicts)
    if verdicts.file_errors:
        return ImportPlan(verdicts)
    lookups = Lookups()
    parsed: list[ParsedRow] = []
    total = len(table.rows)
    for done, source in enumerate(table.rows, start=1):
        cells = {name: source.cells[index] for index, name in positions}
        row = parse_row(source.line, cells, lookups)
        if any(cell for cell in source.cells[len(table.headers) :]):
            row.warnings.append("des valeurs hors des colonnes nommées ont été ignorées.")
        parsed.append(row)
        if progress:
            progress("validation", done, total)
    plan = _Planner(parsed, cpts).plan(verdicts)
    return plan


def _columns(headers: list[str], verdicts: Verdicts) -> list[tuple[int, str]]:
    """(position, column name) of the known columns; file-level problems in verdicts."""
    positions: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        name = column_for_header(header)
        if name is None:
            unknown.append(header)
        elif name in seen:
            verdicts.file_errors.append(
                f"La colonne « {name} » figure deux fois (« {seen[name]} » et « {header} »)."
            )
        else:
            seen[name] = header
            positions.append((index, name))
    missing = [column.name for column in COLUMNS if column.required and column.name not in seen]
    if missing:
        verdicts.file_errors.append(
            "Colonnes obligatoires absentes : "
            + ", ".join(missing)
            + ". Partez du modèle de fichier proposé sur la page d'import."
        )
    if not any(name in seen for name in COMMUNE_COLUMNS):
        verdicts.file_errors.append(
            "Il manque la colonne de la commune du lieu : lieu_commune_insee ou lieu_commune."
        )
    if unknown:
        verdicts.file_warnings.append(
            "Colonnes inconnues, ignorées : " + ", ".join(f"« {h} »" for h in unknown) + "."
        )
    return positions


class _Directory:
    """The entries of the CPTS as they are now, loaded once with their relations."""

    def __init__(self, cpts):
        services = Service.objects.prefetch_related(
            "care_types", "professions", "labels", "communes_served", "locations"
        )
        self.organizations = list(
            Organization.objects.filter(cpts=cpts)
            .prefetch_related("locations", Prefetch("services", queryset=services))
            .order_by("pk")
        )
        self.by_name: dict[str, Organization] = {}
        self.by_identifier: dict[tuple[str, str], list[Organization]] = {}
        for organization in self.organizations:
            self.by_name.setdefault(normalize_name(organization.name), organization)
            for name in IDENTIFIER_LABELS:
                if value := getattr(organization, name):
                    self.by_identifier.setdefault((name, value), []).append(organization)


class _Planner:
    def __init__(self, rows: list[ParsedRow], cpts):
        self.rows = rows
        self.by_line = {row.line: row for row in rows}
        self.directory = _Directory(cpts)
        self.organizations: dict[str, OrganizationPlan] = {}
        self.locations: dict[tuple, LocationPlan] = {}
        self.services: dict[tuple, ServicePlan] = {}
        # line -> the plans its row belongs to
        self.row_plans: dict[int, tuple] = {}

    def plan(self, verdicts: Verdicts) -> ImportPlan:
        for row in self.rows:
            self._group(row)
        self._check_identifiers_unique()
        for organization in self.organizations.values():
            self._match_organization(organization)
        for location in self.locations.values():
            self._match_location(location)
        for service in self.services.values():
            self._match_service(service)
        verdicts.rows = [self._verdict(row) for row in self.rows]
        verdicts.summary = self._summary(verdicts.rows)
        return ImportPlan(
            verdicts,
            list(self.organizations.values()),
            list(self.locations.values()),
            list(self.services.values()),
        )

    # --- grouping the rows by organisation, location and service

    def _group(self, row: ParsedRow) -> None:
        name = row.organization.get("name")
        service_name = row.service.get("name")
        if not name or not service_name:
            return
        organization = self._join(
            self.organizations,
            normalize_name(name),
            row,
            row.organization,
            lambda key: OrganizationPlan(key, dict(row.organization), []),
            ORGANIZATION_COLUMNS,
            lambda columns, line: (
                f"{columns} : la structure « {name} » figure aussi ligne {line} avec d'autres "
                "valeurs ; décrivez-la de la même façon sur toutes ses lignes."
            ),
        )
        location = None
        if row.location is not None:
            address = row.location.get("address")
            key = (
                organization.key,
                row.location["commune"].pk,
                None if address is None else normalize_name(address),
            )
            location = self._join(
                self.locations,
                key,
                row,
                row.location,
                lambda key: LocationPlan(key, organization, dict(row.location), []),
                LOCATION_COLUMNS,
                lambda columns, line: (
                    f"{columns} : ce lieu figure aussi ligne {line} avec d'autres valeurs ; "
                    "décrivez-le de la même façon sur toutes ses lignes."
                ),
            )
        service_key = (organization.key, normalize_name(service_name))
        service = self.services.get(service_key)
        if service is not None:
            for other_line in service.lines:
                if self.row_plans[other_line][1] is location:
                    row.errors.append(
                        f"ligne en double : même structure, même offre et même lieu que la "
                        f"ligne {other_line}."
                    )
                    return
        service = self._join(
            self.services,
            service_key,
            row,
            {**row.service, **row.service_relations},
            lambda key: ServicePlan(
                key, organization, dict(row.service), dict(row.service_relations), []
            ),
            SERVICE_COLUMNS,
            lambda columns, line: (
                f"{columns} : l'offre « {service_name} » figure aussi ligne {line} avec "
                "d'autres valeurs ; décrivez-la de la même façon sur toutes ses lignes."
            ),
        )
        if location is not None and location not in service.locations:
            service.locations.append(location)
        self.row_plans[row.line] = (organization, location, service)

    def _join(self, plans: dict, key, row, values, new, columns: dict, message: Callable):
        """The plan of `key`, created from this row or checked against it.

        `message(columns, line)` is the French sentence for a row that describes
        the same entry differently from an earlier line.
        """
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = new(key)
        else:
            reference = {**plan.values, **getattr(plan, "relations", {})}
            differing = sorted(
                {
                    columns[name]
                    for name, value in values.items()
                    # Names already agree up to case and accents (they are the key);
                    # the first spelling is kept.
                    if name != "name"
                    and name in reference
                    and _comparable(reference[name]) != _comparable(value)
                },
                key=list(COLUMN_BY_NAME).index,
            )
            if differing:
                row.errors.append(message(", ".join(differing), plan.lines[0]))
        plan.lines.append(row.line)
        return plan

    def _check_identifiers_unique(self) -> None:
        seen: dict[tuple[str, str], OrganizationPlan] = {}
        for plan in self.organizations.values():
            for name, label in IDENTIFIER_LABELS.items():
                value = plan.values.get(name)
                if not value:
                    continue
                other = seen.setdefault((name, value), plan)
                if other is not plan:
                    self.by_line[plan.lines[0]].errors.append(
                        f"{ORGANIZATION_COLUMNS[name]} : le {label} {value} est aussi celui de "
                        f"la structure « {other.values['name']} » (ligne {other.lines[0]})."
                    )

    # --- matching the plans with the directory as it is

    def _match_organization(self, plan: OrganizationPlan) -> None:
        directory, values = self.directory, plan.values
        first_row = self.by_line[plan.lines[0]]
        by_name = directory.by_name.get(plan.key)
        found = None
        for name in IDENTIFIER_LABELS:
            candidates = directory.by_identifier.get((name, values.get(name) or ""), [])
            if candidates:
                found = next((o for o in candidates if o is by_name), candidates[0])
                break
        if found is None:
            found = by_name
        elif by_name is not None and by_name is not found:
            first_row.errors.append(
                f"structure_nom : une autre structure de la CPTS s'appelle déjà « {by_name.name} » ; "
                f"celle qui porte ces identifiants s'appelle « {found.name} »."
            )
            return
        if found is not None and values.get("siret") and found.siret not in ("", values["siret"]):
            first_row.warnings.append(
                f"structure_siret : le SIRET de « {found.name} » passera de {found.siret} "
                f"à {values['siret']}."
            )
        other = next(
            (other for other in self.organizations.values() if found and other.existing is found),
            None,
        )
        if other is not None and found is not None:
            first_row.errors.append(
                f"structure_nom : la structure existante « {found.name} » est déjà celle de la "
                f"ligne {other.lines[0]} (« {other.values['name']} », reconnue par son nom, son SIRET "
                "ou son FINESS) ; décrivez-la une seule fois."
            )
            return
        plan.existing = found
        plan.action = CREATE if found is None else _action(found, values)

    def _match_location(self, plan: LocationPlan) -> None:
        organization = plan.organization.existing
        if organization is None:
            return
        _, commune_pk, address_key = plan.key
        plan.existing = next(
            (
                location
                for location in sorted(organization.locations.all(), key=lambda loc: loc.pk)
                if location.commune_id == commune_pk
                and (address_key is None or normalize_name(location.address) == address_key)
            ),
            None,
        )
        if plan.existing is not None:
            plan.action = UPDATE if _location_changed(plan.existing, plan.values) else UNCHANGED

    def _match_service(self, plan: ServicePlan) -> None:
        organization = plan.organization.existing
        if organization is None:
            return
        plan.existing = next(
            (s for s in organization.services.all() if normalize_name(s.name) == plan.key[1]),
            None,
        )
        if plan.existing is None:
            return
        service = plan.existing
        changed = _action(service, plan.values) == UPDATE
        for name, objects in plan.relations.items():
            current = {obj.pk for obj in getattr(service, name).all()}
            changed = changed or current != {obj.pk for obj in objects}
        wanted = {
            location.existing.pk if location.existing else None for location in plan.locations
        }
        changed = changed or wanted != {location.pk for location in service.locations.all()}
        plan.action = UPDATE if changed else UNCHANGED

    # --- verdicts

    def _verdict(self, row: ParsedRow) -> RowVerdict:
        status = ERROR if row.errors else WARNING if row.warnings else OK
        verdict = RowVerdict(
            line=row.line,
            status=status,
            errors=row.errors,
            warnings=row.warnings,
            organization=row.organization.get("name") or row.cells.get("structure_nom", ""),
            service=row.service.get("name") or row.cells.get("offre_nom", ""),
            place=_place(row),
        )
        plans = self.row_plans.get(row.line)
        if plans and status != ERROR:
            organization, location, service = plans
            verdict.organization_action = organization.action
            verdict.location_action = location.action if location else None
            verdict.service_action = service.action
        return verdict

    def _summary(self, rows: list[RowVerdict]) -> Summary:
        summary = Summary(rows=len(rows))
        for verdict in rows:
            setattr(summary, verdict.status, getattr(summary, verdict.status) + 1)
        errors = {verdict.line for verdict in rows if verdict.status == ERROR}
        for plans, counts in (
            (self.organizations, summary.organizations),
            (self.locations, summary.locations),
            (self.services, summary.services),
        ):
            for plan in plans.values():
                if not errors.intersection(plan.lines):
                    setattr(counts, plan.action, getattr(counts, plan.action) + 1)
        return summary


def _comparable(value):
    if isinstance(value, list):
        return sorted(getattr(item, "pk", item) for item in value)
    return getattr(value, "pk", value)


def _action(instance, values: dict) -> str:
    for name, value in values.items():
        if _comparable(getattr(instance, name)) != _comparable(value):
            return UPDATE
    return UNCHANGED


def _location_changed(location: Location, values: dict) -> bool:
    plain = {k: v for k, v in values.items() if k not in ("latitude", "longitude")}
    if _action(location, plain) == UPDATE:
        return True
    if "latitude" not in values:
        return False
    if values["latitude"] is None:
        return location.coordinates_given
    return (
        not location.coordinates_given
        or abs(location.latitude - values["latitude"]) > 1e-7
        or abs(location.longitude - values["longitude"]) > 1e-7
    )


def _place(row: ParsedRow) -> str:
    if row.location is None:
        return "à domicile" if row.service.get("is_home_service") else ""
    commune = row.location["commune"]
    address = row.location.get("address", "")
    return f"{address}, {commune.name}" if address else commune.name
