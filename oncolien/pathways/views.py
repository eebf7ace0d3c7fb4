"""What the pathway pages share: the one read of a pathway page and its sheets table.

The pages themselves are in views_worklist (worklist, patient list), views_intake
(the intake call), views_pathway (the pathway page and its forms) and views_visits
(visits, monitoring sheets, acknowledging alerts). They stay thin: reads go through
`pathways.selectors`, writes through `pathways.services`.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.text import capfirst

from oncolien.pagination import Page, PageOutOfRange, page_of
from oncolien.pathways import selectors
from oncolien.pathways.models import (
    Alert,
    CareTeamMember,
    Consent,
    MonitoringRecord,
    Pathway,
    Visit,
    VisitReport,
)

LATEST_RECORDS = 5
LATEST_VISITS = 20


@dataclass
class PathwayPage:
    pathway: Pathway
    timeline: selectors.TimelinePage | None
    sheets: Page[MonitoringRecord] | None
    # A French sentence when a page of the history or of the sheets does not exist.
    timeline_error: str = ""
    sheets_error: str = ""


def pathway_page_for(*, user, pk: int, timeline_page: int = 1, sheets_page: int = 1) -> PathwayPage:
    """A pathway with what its page shows, in a fixed number of queries whatever the
    length of its history: the sheets and the history are read a page at a time.

    The pathway comes from `selectors.pathway_for` (authorised, audited, 404 for
    anyone else); what hangs from it is read on that authorised object only.
    """
    pathway = selectors.pathway_for(user=user, pk=pk)
    sheets: Page[MonitoringRecord] | None = None
    timeline: selectors.TimelinePage | None = None
    sheets_error = timeline_error = ""
    try:
        sheets = page_of(
            MonitoringRecord.objects.filter(pathway=pathway).select_related("author"),
            sheets_page,
            LATEST_RECORDS,
        )
    except PageOutOfRange as error:
        sheets_error = error.message_text
    prefetch_related_objects(
        [pathway],
        "treatments",
        Prefetch(
            "care_team",
            queryset=CareTeamMember.objects.filter(active=True).select_related("user"),
            to_attr="active_team",
        ),
        Prefetch(
            "alerts",
            queryset=Alert.objects.filter(acknowledged_at__isnull=True).prefetch_related(
                selectors.comments_with_authors()
            ),
            to_attr="open_alerts",
        ),
        Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
    )
    # The latest visits by their own query, not a sliced prefetch: that one numbers every
    # visit of the pathway (a window function) to keep 20, 19 ms at 5,000 visits. Read
    # once for the visits table and the first page of the history, with their reports.
    newest_visits = list(
        Visit.objects.filter(pathway=pathway)
        .select_related("author")
        .prefetch_related(
            "needs_discussed",
            Prefetch("reports", queryset=VisitReport.objects.select_related("created_by")),
        )
        .order_by("-occurred_at", "-pk")[: selectors.NEWEST_VISITS_READ]
    )
    pathway.latest_visits = newest_visits[:LATEST_VISITS]  # type: ignore[attr-defined]
    # After the prefetch: the history reads the consents (and who noted them) loaded above.
    try:
        timeline = selectors.timeline_page_for(
            pathway, page=timeline_page, newest_visits=newest_visits
        )
    except PageOutOfRange as error:
        timeline_error = error.message_text
    return PathwayPage(
        pathway=pathway,
        timeline=timeline,
        sheets=sheets,
        timeline_error=timeline_error,
        sheets_error=sheets_error,
    )


# The rows of the sheets table on the pathway page, in the paper sheet's order.
SHEET_ROWS = (
    "weight_kg",
    "systolic_bp",
    "diastolic_bp",
    "pulse_bpm",
    "pulse_regular",
    "saturation_pct",
    "temperature_c",
    "dyspnoea",
    "nausea",
    "vomiting",
    "transit",
    "enriched_food",
    "fractionated_meals",
    "mucositis",
    "dry_skin",
    "hand_foot_syndrome",
    "alopecia_nails",
    "tingling",
    "paresthesia",
    "missed_doses",
    "treatment_difficulties",
    "pain_score",
    "pain_location",
    "biology_on",
    "biology_anomalies",
    "venous_access",
    "venous_access_flush",
    "venous_access_aspect",
    "observations",
)


def _sheet_field(name: str) -> models.Field:
    """A column of the sheets table: a concrete field of MonitoringRecord, not a relation."""
    field = MonitoringRecord._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


@dataclass(frozen=True)
class _Column:
    # Both kept as declared (translatable), made text when shown.
    label: object
    # The labels of a field with choices, read once: `get_FOO_display` rebuilds the
    # field's flat choices for every cell (29 rows × 5 sheets on every pathway page).
    labels: dict[object, object]


@functools.cache
def _column(name: str) -> _Column:
    field = _sheet_field(name)
    return _Column(label=field.verbose_name, labels=dict(field.flatchoices))


def _shown(record: MonitoringRecord, name: str) -> str:
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    labels = _column(name).labels
    if labels:
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        # With the decimals stored (38,0 stays 38,0), the French way.
        return format(value, "f").replace(".", ",")
    # Free text is shown as typed: only measurements are written the French way.
    return str(value)


def sheet_table(records: list[MonitoringRecord]) -> list[tuple[str, list[str]]]:
    """One row per measurement, one column per sheet, as on the paper form."""
    return [
        (
            # capfirst, not capitalize: the rest of the label keeps its capitals (mmHg, °C, CNO).
            capfirst(str(_column(name).label)),
            [_shown(record, name) for record in records],
        )
        for name in SHEET_ROWS
    ]
