"""Reads of the hormone-therapy follow-up. A plan is reached through its pathway,
obtained from `pathways.selectors.pathway_for` (authorised, audited, 404 for anyone
else); the worklist's overdue contacts are read within the visible pathways."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.authorization import AnyUser
from oncolien.adherence import schedule
from oncolien.adherence.models import AdherenceContact, AdherencePlan
from oncolien.adherence.vocabulary import Vocabulary, vocabulary
from oncolien.pathways.extensions import ReportSection, TimelineEvent, WorkItem, WorkSection
from oncolien.pathways.models import Alert, Pathway, PathwayStatus
from oncolien.pathways.selectors import pathway_for

READ = "adherence.read"


def pathway_with_plan_for(*, user: AnyUser, pk: int) -> Pathway:
    """The pathway of the follow-up pages: authorised and audited as a read of the plan."""
    return pathway_for(user=user, pk=pk, action=READ)


def plan_of(pathway: Pathway) -> AdherencePlan | None:
    """The plan of a pathway obtained from `pathway_for` (already authorised)."""
    return AdherencePlan.objects.select_related("nurse").filter(pathway=pathway).first()


@dataclass(frozen=True)
class SideEffectLine:
    label: str
    severity: str


@dataclass(frozen=True)
class ContactLine:
    contact: AdherenceContact
    side_effects: list[SideEffectLine]

    @property
    def side_effects_text(self) -> str:
        return ", ".join(f"{line.label} ({line.severity.lower()})" for line in self.side_effects)


@dataclass(frozen=True)
class PlanSummary:
    plan: AdherencePlan
    drug: str
    ends_on: date
    next_contact: AdherenceContact | None
    overdue: list[AdherenceContact]
    upcoming: list[AdherenceContact]
    history: list[ContactLine]

    @property
    def last_contact(self) -> ContactLine | None:
        return self.history[0] if self.history else None


def contact_line(contact: AdherenceContact, terms: Vocabulary) -> ContactLine:
    """A contact with its side effects named in French by `terms` (the vocabulary, read
    once by the caller for all its contacts: each read opens and validates the file)."""
    return ContactLine(
        contact,
        [
            SideEffectLine(
                terms.side_effect_label(item.get("code", "")),
                terms.severity_label(item.get("severity", "")),
            )
            for item in contact.side_effects or []
        ],
    )


def alerts_of_contact(contact: AdherenceContact) -> list[Alert]:
    """The alerts a contact raised (just recorded by the same user)."""
    return list(Alert.objects.filter(source=f"adherence_contact:{contact.pk}").order_by("pk"))


def summary_of(pathway: Pathway, *, today: date | None = None) -> PlanSummary | None:
    plan = plan_of(pathway)
    if plan is None:
        return None
    today = today or timezone.localdate()
    contacts = list(plan.contacts.select_related("done_by"))
    pending = [c for c in contacts if c.done_at is None and c.planned_on is not None]
    overdue = [c for c in pending if c.planned_on and c.planned_on < today]
    upcoming = [c for c in pending if c.planned_on and c.planned_on >= today]
    done = sorted(
        (c for c in contacts if c.done_at is not None),
        key=lambda c: (c.done_at, c.pk),
        reverse=True,
    )
    terms = vocabulary()
    return PlanSummary(
        plan=plan,
        drug=terms.drug_label(plan.drug),
        ends_on=schedule.end_of(plan.started_on, plan.duration_years),
        next_contact=next(iter(overdue or upcoming), None),
        overdue=overdue,
        upcoming=upcoming,
        history=[contact_line(c, terms) for c in done],
    )


# --- Worklist, timeline, report ---------------------------------------------------------

OVERDUE_SHOWN = 100


def overdue_contacts(
    visible: QuerySet[Pathway], *, today: date | None = None
) -> tuple[list[AdherenceContact], int]:
    """The oldest planned contacts not done by their date (Paris) on the visible open
    pathways (at most OVERDUE_SHOWN), and how many there are in all."""
    today = today or timezone.localdate()
    late = AdherenceContact.objects.filter(
        plan__pathway__in=visible, done_at__isnull=True, planned_on__lt=today
    ).exclude(plan__pathway__status=PathwayStatus.CLOSED)
    shown = list(
        late.select_related("plan__pathway__patient", "plan__nurse").order_by("planned_on", "pk")[
            :OVERDUE_SHOWN
        ]
    )
    return shown, (len(shown) if len(shown) < OVERDUE_SHOWN else late.count())


def worklist_section(user: AnyUser, visible: QuerySet[Pathway]) -> WorkSection:
    late, total = overdue_contacts(visible)
    items = [
        WorkItem(
            pathway=contact.plan.pathway,
            title="Contact de suivi de l'hormonothérapie en retard",
            detail=(
                f"{contact.plan.get_contact_mode_display()} prévu le "
                f"{contact.planned_on:%d/%m/%Y} — {contact.plan.nurse.get_full_name()}"
            ),
            url=reverse("pathways:pathway_detail", kwargs={"pk": contact.plan.pathway_id})
            + "#observance",
        )
        for contact in late
    ]
    return WorkSection(
        title="Suivi de l'hormonothérapie : contacts en retard",
        items=items,
        empty_text="Aucun contact de suivi de l'hormonothérapie en retard.",
        total=total,
        total_text="contacts en retard",
    )


def timeline_events_of(summary: PlanSummary | None) -> list[TimelineEvent]:
    """The contacts done, from a plan's summary (none without a plan): the pathway page
    reads the summary once for its panel and its history."""
    if summary is None:
        return []
    events = []
    terms = vocabulary()
    for line in summary.history:
        contact = line.contact
        assert contact.done_at is not None
        detail = contact.get_missed_doses_display() if contact.missed_doses else ""
        if contact.stopped:
            detail = "Traitement arrêté"
        events.append(
            TimelineEvent(
                contact.done_at,
                "adherence",
                f"Suivi de l'hormonothérapie ({terms.drug_label(summary.plan.drug)}) : "
                f"{contact.get_mode_display().lower()}",
                detail,
                str(contact.done_by or ""),
            )
        )
    return events


def report_section(pathway: Pathway) -> ReportSection:
    """The hormone-therapy follow-up, for a visit report of `pathway` (already authorised)."""
    summary = summary_of(pathway)
    lines: list[str] = []
    if summary is not None:
        plan = summary.plan
        lines.append(
            f"{summary.drug} depuis le {plan.started_on:%d/%m/%Y}, pour {plan.duration_years} "
            f"an{'s' if plan.duration_years > 1 else ''} (jusqu'au {summary.ends_on:%d/%m/%Y})."
        )
        last = summary.last_contact
        if last is not None:
            contact = last.contact
            assert contact.done_at is not None
            if contact.stopped:
                assert contact.stopped_since is not None
                state = (
                    f"traitement arrêté depuis le {contact.stopped_since:%d/%m/%Y} "
                    f"(décision : {contact.get_stop_decided_by_display().lower()})"
                )
            else:
                state = contact.get_missed_doses_display().lower()
                if contact.intends_to_stop:
                    state += ", envisage d'arrêter"
            lines.append(
                f"Dernier contact le {timezone.localtime(contact.done_at):%d/%m/%Y} : {state}."
            )
            if last.side_effects:
                lines.append(f"Effets indésirables signalés : {last.side_effects_text}.")
        if summary.next_contact is not None and summary.next_contact.planned_on:
            lines.append(
                f"Prochain contact prévu le {summary.next_contact.planned_on:%d/%m/%Y} "
                f"({plan.get_contact_mode_display().lower()})."
            )
    return ReportSection(
        "Suivi de l'hormonothérapie",
        lines,
        "Pas de suivi de l'hormonothérapie pour ce patient.",
    )
