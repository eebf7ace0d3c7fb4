"""What the preview, the report and the command show: one verdict per row, a summary.

Plain data that survives a JSON round trip, so that the verdicts computed in
one request are shown and downloaded in the next ones.
"""

from dataclasses import asdict, dataclass, field

OK, WARNING, ERROR = "ok", "warning", "error"
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

STATUS_LABELS = {OK: "OK", WARNING: "Avertissement", ERROR: "Erreur"}
# Structure and offre are feminine, lieu masculine: one word per gender, never
# built by concatenation.
FEMININE_ACTIONS = {CREATE: "créée", UPDATE: "mise à jour", UNCHANGED: "inchangée"}
MASCULINE_ACTIONS = {CREATE: "créé", UPDATE: "mis à jour", UNCHANGED: "inchangé"}


@dataclass
class RowVerdict:
    line: int
    status: str = OK
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organization: str = ""  # names, to recognise the row
    service: str = ""
    place: str = ""
    organization_action: str | None = None  # None when the row has an error
    location_action: str | None = None
    service_action: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def service_action_label(self) -> str:
        return FEMININE_ACTIONS.get(self.service_action or "", "")

    @property
    def organization_action_label(self) -> str:
        return FEMININE_ACTIONS.get(self.organization_action or "", "")

    @property
    def location_action_label(self) -> str:
        return MASCULINE_ACTIONS.get(self.location_action or "", "")

    @property
    def messages(self) -> list[str]:
        return self.errors + self.warnings


@dataclass
class Counts:
    create: int = 0
    update: int = 0
    unchanged: int = 0


@dataclass
class Summary:
    rows: int = 0
    ok: int = 0
    warning: int = 0
    error: int = 0
    organizations: Counts = field(default_factory=Counts)
    locations: Counts = field(default_factory=Counts)
    services: Counts = field(default_factory=Counts)


@dataclass
class Verdicts:
    """The outcome of a validation: file-level messages, one verdict per row, counts."""

    filename: str
    file_errors: list[str] = field(default_factory=list)
    file_warnings: list[str] = field(default_factory=list)
    rows: list[RowVerdict] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    @property
    def can_apply(self) -> bool:
        return not self.file_errors and self.summary.error == 0 and bool(self.rows)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Verdicts":
        summary = dict(data["summary"])
        for name in ("organizations", "locations", "services"):
            summary[name] = Counts(**summary[name])
        return cls(
            filename=data["filename"],
            file_errors=data["file_errors"],
            file_warnings=data["file_warnings"],
            rows=[RowVerdict(**row) for row in data["rows"]],
            summary=Summary(**summary),
        )


def summary_lines(summary: Summary) -> list[str]:
    """The summary in French, one line per kind of entry, never built from word pieces."""
    return [
        f"{summary.rows} ligne(s) : {summary.ok} sans remarque, {summary.warning} avec "
        f"avertissement, {summary.error} en erreur.",
        f"Offres — créées : {summary.services.create}, mises à jour : "
        f"{summary.services.update}, inchangées : {summary.services.unchanged}.",
        f"Structures — créées : {summary.organizations.create}, mises à jour : "
        f"{summary.organizations.update}, inchangées : {summary.organizations.unchanged}.",
        f"Lieux — créés : {summary.locations.create}, mis à jour : "
        f"{summary.locations.update}, inchangés : {summary.locations.unchanged}.",
    ]
