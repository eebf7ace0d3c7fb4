"""What other apps may plug into a pathway: panels on its page, events on its
timeline, sections on the care team's worklist, sections of its visit reports, and
a part of the intake form (e.g. the coordinating nurse proposed for the commune's
sector) with what it does once the pathway is created.

An app declares its parts in its own `pathway_parts.py` and registers them in
`AppConfig.ready()` with the `register_*` functions below. Each part receives
what the pathways app already authorised: a pathway obtained through
`selectors.pathway_for`, or the queryset of pathways visible to the user, and
must keep to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models import QuerySet

from oncolien.reference.selectors import care_types_in_order

if TYPE_CHECKING:
    from oncolien.accounts.models import User
    from oncolien.pathways.models import Pathway
    from oncolien.reference.models import CareType
    from oncolien.territories.models import Commune, Cpts


@dataclass(frozen=True)
class Panel:
    """A section of the pathway page: a template included with its own context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    who: str = ""


@dataclass(frozen=True)
class WorkItem:
    # None for work that has no pathway yet (a contact request waiting for its first
    # call): such an item names itself in `title` and must carry its own `url`.
    pathway: Pathway | None
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class WorkSection:
    """A section of the worklist (e.g. referrals without news)."""

    title: str
    items: list[WorkItem]
    empty_text: str = "Rien à signaler."
    # When the section shows only part of its items: how many there are in all, and
    # what they are called (« orientations sans nouvelles »), so the page says so.
    total: int | None = None
    total_text: str = "éléments"
    # What the section showed that is not a pathway (e.g. contact requests), added to
    # the worklist's one audit entry: {"contact_request_ids": [...]}.
    audit_details: dict[str, list[int]] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        return self.total is not None and self.total > len(self.items)


@dataclass(frozen=True)
class ReportSection:
    """A section of a visit report (page and PDF): a title and lines of plain text."""

    title: str
    lines: list[str]
    empty_text: str = "Rien à signaler."


class PanelSource(Protocol):
    def __call__(self, user: User, pathway: Pathway) -> Panel: ...


class TimelineSource(Protocol):
    def __call__(self, pathway: Pathway) -> list[TimelineEvent]: ...


class WorklistSource(Protocol):
    def __call__(self, user: User, visible: QuerySet[Pathway]) -> WorkSection: ...


class ReportSource(Protocol):
    def __call__(self, pathway: Pathway) -> ReportSection: ...


class IntakePanelSource(Protocol):
    """A part of the intake form for a patient of `commune` in `cpts`, or None. Its
    template is included inside the form, so its fields are posted with it; `data`
    is what was posted (to keep a choice when the form comes back with errors)."""

    def __call__(
        self, user: User, cpts: Cpts, commune: Commune, data: Mapping[str, str]
    ) -> Panel | None: ...


class IntakeHook(Protocol):
    """What an app does with the posted intake form once the pathway is created, in the
    same transaction: a French ValidationError undoes the whole intake."""

    def __call__(self, actor: User, pathway: Pathway, data: Mapping[str, str]) -> None: ...


PANEL_SOURCES: list[PanelSource] = []
INTAKE_PANEL_SOURCES: list[IntakePanelSource] = []
INTAKE_HOOKS: list[IntakeHook] = []
REPORT_SOURCES: list[ReportSource] = []
TIMELINE_SOURCES: list[TimelineSource] = []
WORKLIST_SOURCES: list[WorklistSource] = []

_Source = TypeVar("_Source", bound=Callable[..., object])


def _register(registry: list[_Source], source: _Source) -> None:
    # AppConfig.ready() may run more than once (tests, management commands).
    if source not in registry:
        registry.append(source)


def register_panel(source: PanelSource) -> None:
    _register(PANEL_SOURCES, source)


def register_timeline_source(source: TimelineSource) -> None:
    _register(TIMELINE_SOURCES, source)


def register_worklist_source(source: WorklistSource) -> None:
    _register(WORKLIST_SOURCES, source)


def register_report_section(source: ReportSource) -> None:
    _register(REPORT_SOURCES, source)


def register_intake_panel(source: IntakePanelSource) -> None:
    _register(INTAKE_PANEL_SOURCES, source)


def register_intake_hook(hook: IntakeHook) -> None:
    _register(INTAKE_HOOKS, hook)


_T = TypeVar("_T")


def read_once(pathway: Pathway, key: str, read: Callable[[], _T]) -> _T:
    """What `read()` returns, read at most once for this pathway object (one request).

    An app's panel and its timeline events show the same rows: each calls this with
    the same `key` (prefixed by the app's name) and the second gets the first's rows.
    Use it only in the parts of a page, never across a write.
    """
    cache: dict[str, Any] = pathway.__dict__.setdefault("_read_once", {})
    if key not in cache:
        cache[key] = read()
    value: _T = cache[key]
    return value


def care_types_of_page(pathway: Pathway) -> list[CareType]:
    """Every care type, active or not, in display order, read once for the page of
    `pathway` whichever of its parts asks first (assessments, referrals)."""
    return read_once(pathway, "reference.care_types", care_types_in_order)


def panels_for(user: User, pathway: Pathway) -> list[Panel]:
    return [source(user, pathway) for source in PANEL_SOURCES]


def timeline_events_for(pathway: Pathway) -> list[TimelineEvent]:
    return [event for source in TIMELINE_SOURCES for event in source(pathway)]


def worklist_sections_for(user: User, visible: QuerySet[Pathway]) -> list[WorkSection]:
    return [source(user, visible) for source in WORKLIST_SOURCES]


def report_sections_for(pathway: Pathway) -> list[ReportSection]:
    return [source(pathway) for source in REPORT_SOURCES]


def intake_panels_for(
    user: User, cpts: Cpts, commune: Commune, data: Mapping[str, str]
) -> list[Panel]:
    panels = (source(user, cpts, commune, data) for source in INTAKE_PANEL_SOURCES)
    return [panel for panel in panels if panel is not None]


def intake_hooks_run(actor: User, pathway: Pathway, data: Mapping[str, str]) -> None:
    for hook in INTAKE_HOOKS:
        hook(actor, pathway, data)
