"""Reads of assessments. An assessment is reached only through its pathway, obtained
from `pathways.selectors.pathway_for` (authorised, audited, 404 for anyone else)."""

from dataclasses import dataclass, field

from django.http import Http404

from oncolien.accounts.authorization import AnyUser
from oncolien.assessments.engine import is_default_for, scale_labels, scale_maxima
from oncolien.assessments.models import (
    Assessment,
    AssessmentStatus,
    InstrumentVersion,
    Respondent,
)

# The satisfaction questionnaires' figures, for the indicators and the ARS file.
from oncolien.assessments.satisfaction_figures import (  # noqa: F401 - public here
    AnswerCount,
    QuestionFigures,
    SurveyFigures,
    satisfaction_for_programmes,
    satisfaction_summary,
)
from oncolien.pathways.extensions import TimelineEvent
from oncolien.pathways.selectors import pathway_for
from oncolien.reference.selectors import care_types_in_order


def assessment_for(*, user: AnyUser, pk: int, action: str = "assessment.read") -> Assessment:
    """One assessment for `user`; Http404 when it does not exist or its pathway is not theirs."""
    # Also read by the FHIR endpoints, which are open to anonymous requests: an
    # anonymous user is refused like an outsider (404, refusal audited).
    # A satisfaction questionnaire is one person's opinion: read only as aggregates.
    pathway_id = (
        Assessment.objects.filter(pk=pk, satisfaction_survey__isnull=True)
        .values_list("pathway_id", flat=True)
        .first()
    )
    if pathway_id is None:
        raise Http404("Évaluation introuvable.")
    pathway = pathway_for(user=user, pk=pathway_id, action=action)
    assessment = pathway.assessments.select_related("instrument", "filled_by").get(pk=pk)
    assessment.pathway = pathway
    return assessment


def instruments_in_use(*, audience: str | None = None) -> list[InstrumentVersion]:
    """The latest version in use of each instrument (what a new response answers)."""
    versions = InstrumentVersion.objects.filter(active=True).order_by("code", "-loaded_at", "-pk")
    if audience:
        versions = versions.filter(audience=audience)
    latest: dict[str, InstrumentVersion] = {}
    for version in versions:
        # Satisfaction questionnaires are sent by the task queue only (surveys.py).
        if "survey" not in version.definition:
            latest.setdefault(version.code, version)
    return sorted(latest.values(), key=lambda v: v.title)


def default_instrument(
    instruments: list[InstrumentVersion], *, respondent: str, phase: str
) -> InstrumentVersion | None:
    """The instrument proposed first to `respondent` at the pathway's `phase`, as the
    instruments' own `default_for` says (the first by title if two claim it)."""
    return next(
        (
            v
            for v in instruments
            if is_default_for(v.definition, respondent=respondent, phase=phase)
        ),
        None,
    )


def default_instruments(instruments: list[InstrumentVersion], *, phase: str) -> dict[str, str]:
    """{respondent: instrument code} proposed first at `phase`, for each respondent."""
    defaults = {}
    for respondent in Respondent.values:
        found = default_instrument(instruments, respondent=respondent, phase=phase)
        if found is not None:
            defaults[respondent] = found.code
    return defaults


@dataclass
class NeedRow:
    care_type: str
    name: str
    level: str
    label: str


@dataclass
class Series:
    """One scale of one instrument over the completed assessments, oldest first."""

    label: str
    maximum: int
    points: list = field(default_factory=list)  # [(datetime, value)]


@dataclass
class PathwayResults:
    latest: list  # [(assessment, [NeedRow], [(label, value)])]
    series: list[Series]
    drafts: list[Assessment]
    completed: list[Assessment]


LEVEL_LABELS = {"none": "Pas de besoin", "to_discuss": "À discuter", "priority": "Prioritaire"}


def need_rows(results: dict, names: dict) -> list[NeedRow]:
    order = list(names)
    needs = results.get("needs", {})
    codes = sorted(needs, key=lambda c: order.index(c) if c in order else len(order))
    return [NeedRow(c, names.get(c, c), needs[c], LEVEL_LABELS[needs[c]]) for c in codes]


def assessments_of(pathway) -> list:
    """Every assessment of a pathway obtained from `pathway_for`, oldest first, with its
    instrument, its link and who filled it. Not the satisfaction questionnaires: they
    are read only as aggregates (satisfaction_figures.py), never one person's answers."""
    return list(
        pathway.assessments.filter(satisfaction_survey__isnull=True)
        .select_related("instrument", "access_link", "filled_by")
        .order_by("completed_at", "started_at", "pk")
    )


def results_for_pathway(
    pathway, assessments: list | None = None, care_types: list | None = None
) -> PathwayResults:
    """Needs and scales of the latest completed response to each instrument, the evolution
    of each scale, and the drafts. Call only on a pathway obtained from `pathway_for`;
    `assessments` (those of `assessments_of`) and `care_types` (all, in display order),
    when already read."""
    if assessments is None:
        assessments = assessments_of(pathway)
    if care_types is None:
        care_types = care_types_in_order()
    names = {care_type.code: care_type.name for care_type in care_types}
    completed = [a for a in assessments if a.status == AssessmentStatus.COMPLETED]
    latest_by_code: dict = {}
    series: dict = {}
    for assessment in completed:
        code = assessment.instrument.code
        latest_by_code[code] = assessment
        labels = scale_labels(assessment.instrument.definition)
        maxima = scale_maxima(assessment.instrument.definition)
        for key, value in assessment.results.get("scales", {}).items():
            if value is None:
                continue
            line = series.setdefault((code, key), Series(labels.get(key, key), maxima.get(key, 10)))
            line.points.append((assessment.completed_at, value))
    latest = []
    for assessment in sorted(latest_by_code.values(), key=lambda a: a.completed_at, reverse=True):
        labels = scale_labels(assessment.instrument.definition)
        scales = [(labels.get(k, k), v) for k, v in assessment.results.get("scales", {}).items()]
        latest.append((assessment, need_rows(assessment.results, names), scales))
    return PathwayResults(
        latest=latest,
        series=[s for s in series.values() if len(s.points) >= 2],
        drafts=[a for a in assessments if a.status == AssessmentStatus.DRAFT],
        completed=list(reversed(completed)),
    )


def timeline_events(pathway, assessments: list | None = None) -> list[TimelineEvent]:
    """Completed assessments on the pathway timeline; `assessments`: those of
    `assessments_of`, when already read."""
    events = []
    if assessments is None:
        assessments = assessments_of(pathway)
    completed = [a for a in assessments if a.status == AssessmentStatus.COMPLETED]
    for assessment in completed:
        priorities = [
            c for c, level in assessment.results.get("needs", {}).items() if level == "priority"
        ]
        detail = (
            f"{len(priorities)} besoin(s) prioritaire(s)"
            if priorities
            else "Aucun besoin prioritaire"
        )
        who = (
            str(assessment.filled_by)
            if assessment.filled_by
            else assessment.get_respondent_display()
        )
        events.append(
            TimelineEvent(
                assessment.completed_at,
                "assessment",
                f"Évaluation : {assessment.instrument.title}",
                detail,
                who,
            )
        )
    return events
