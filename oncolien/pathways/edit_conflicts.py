"""Concurrent edits of a pathway's details: what the second editor is told.

`services.pathway_update` saves by a conditional UPDATE on the version the editor
loaded. When another save came first, nothing is written and `PathwayEditConflict`
says who changed which fields since that version. Who and which come from the
audit trail (each save records its fields and the version it made), not from the
client; the values compared are the ones the editor's form carried and the ones
now stored.
"""

from dataclasses import dataclass, field

from oncolien.accounts.models import User
from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Pathway

UPDATE_ACTION = "pathway.update"
CONFLICT_ACTION = "pathway.update_conflict"


@dataclass(frozen=True)
class EditSince:
    """The saves of a pathway's details made after a given version."""

    authors: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


class PathwayEditConflict(Exception):
    """The pathway changed since `expected_version`: nothing was saved."""

    def __init__(self, *, pathway: Pathway, expected_version: int, since: EditSince) -> None:
        super().__init__(
            f"Parcours n° {pathway.pk} modifié depuis la version {expected_version} "
            f"(version actuelle {pathway.version})."
        )
        self.pathway = pathway
        self.expected_version = expected_version
        self.since = since

    @property
    def authors_label(self) -> str:
        """« Marie Dupont », « Marie Dupont et Paul Roux » (names joined, never built by hand)."""
        names = self.since.authors or ["un autre utilisateur"]
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} et {names[-1]}"


def _display_name(entry: AuditEntry, users: dict[int, User]) -> str:
    user = users.get(entry.actor_id) if entry.actor_id is not None else None
    if user is not None:
        return user.get_full_name() or user.get_username()
    return entry.actor_label or "un autre utilisateur"


def edits_since(*, pathway: Pathway, version: int) -> EditSince:
    """Who saved the pathway's details after `version`, and which fields they changed.

    The trail is read for this pathway only, newest first, and stops at the save that
    made `version + 1`: a pathway is edited a few times, never thousands.
    """
    entries = list(
        AuditEntry.objects.filter(
            action=UPDATE_ACTION, target_type="pathways.pathway", target_id=str(pathway.pk)
        ).order_by("-sequence")[:200]
    )
    later = [
        entry
        for entry in entries
        if isinstance(entry.details.get("version"), int) and entry.details["version"] > version
    ]
    later.reverse()
    users = User.objects.in_bulk({e.actor_id for e in later if e.actor_id is not None})
    authors: list[str] = []
    fields: list[str] = []
    for entry in later:
        name = _display_name(entry, users)
        if name not in authors:
            authors.append(name)
        for name in entry.details.get("fields", []):
            if name not in fields:
                fields.append(name)
    return EditSince(authors=authors, fields=fields)


def stored_value_label(pathway: Pathway, name: str) -> tuple[str, str]:
    """(field's French name, its stored value as shown) for an API's conflict message."""
    model_field = Pathway._meta.get_field(name)
    label = str(getattr(model_field, "verbose_name", name))
    value = getattr(pathway, name)
    if value is None or value == "":
        shown = "(vide)"
    elif getattr(model_field, "choices", None):
        shown = str(getattr(pathway, f"get_{name}_display")())
    elif isinstance(value, bool):
        shown = "oui" if value else "non"
    elif hasattr(value, "strftime"):
        shown = value.strftime("%d/%m/%Y")
    else:
        shown = str(value)
    return label[:1].upper() + label[1:], shown


def etag(pathway: Pathway) -> str:
    """The pathway's version as an HTTP entity tag."""
    return f'"v{pathway.version}"'


def version_from_if_match(header: str) -> int | None:
    """The version an `If-Match` header names; None for `*`. Raises ValueError if unreadable."""
    value = header.strip()
    if value == "*":
        return None
    if value.startswith("W/"):
        value = value[2:]
    if (
        len(value) >= 4
        and value[0] == value[-1] == '"'
        and value[1] == "v"
        and value[2:-1].isdigit()
    ):
        number = int(value[2:-1])
        if 1 <= number < 2**31:
            return number
    raise ValueError(header)
