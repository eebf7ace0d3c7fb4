"""The programme report of a labelled structure over a period: aggregates only.

The cohort is the programmes prescribed to the structure during the period (both
days included); for them the report counts the patients included, those with at
least one act done (the field reports patients lost between prescription and
care), and the acts prescribed and done by kind with their amounts, as of today.
No name, no date of birth, nothing that points to a patient: coordinators and
regional staff read the same figures.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum

from oncolien.accounts.authorization import visible
from oncolien.accounts.models import Role, User
from oncolien.aftercare import rules
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.aftercare.services import labelled_services
from oncolien.directory.models import Organization, Service
from oncolien.tables import csv_bytes

if TYPE_CHECKING:
    from oncolien.aftercare.report_display import ShownReport

REPORT_PERMISSION = "aftercare.report"


def protected_for(user: User) -> bool:
    """Whether `user` reads the programme's figures with small counts protected:
    regional staff do (they see aggregates only, as in the regional indicators), even
    if they also hold a CPTS role; the coordinator of the structures reads them exact."""
    return Role.REGIONAL in user.roles()


CENT = Decimal("0.01")


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    prescribed: int
    done: int
    amount: Decimal


@dataclass(frozen=True)
class ProgrammeReport:
    service: Service
    start: date
    end: date
    patients_included: int
    patients_started: int
    rows: list[KindRow]

    @property
    def prescribed(self) -> int:
        return sum(row.prescribed for row in self.rows)

    @property
    def done(self) -> int:
        return sum(row.done for row in self.rows)

    @property
    def amount(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))


def reportable_services(user: User) -> list[Service]:
    """The labelled structures whose report `user` may read (coordinators: those of
    their CPTS's directory; regional staff and administrators: all)."""
    organizations = visible(user, REPORT_PERMISSION, Organization.objects.all())
    return list(
        labelled_services()
        .filter(organization__in=organizations)
        .select_related("organization__cpts")
    )


def programme_report(*, service: Service, start: date, end: date) -> ProgrammeReport:
    programmes = PostCancerProgramme.objects.filter(
        service=service, prescribed_on__gte=start, prescribed_on__lte=end
    )
    patients = programmes.aggregate(
        included=Count("pathway__patient", distinct=True),
        started=Count("pathway__patient", distinct=True, filter=Q(acts__done_on__isnull=False)),
    )
    by_kind = {
        row["kind"]: row
        for row in ProgrammeAct.objects.filter(programme__in=programmes)
        .values("kind")
        .annotate(
            prescribed=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            amount=Sum("amount"),
        )
    }
    rows = [
        KindRow(
            kind=kind,
            label=label,
            prescribed=by_kind.get(kind, {}).get("prescribed", 0),
            done=by_kind.get(kind, {}).get("done", 0),
            # SQLite's SUM drops the scale of decimals: give it back.
            amount=(by_kind.get(kind, {}).get("amount") or Decimal("0")).quantize(CENT),
        )
        for kind, label in rules.KIND_LABELS.items()
    ]
    return ProgrammeReport(
        service=service,
        start=start,
        end=end,
        patients_included=patients["included"],
        patients_started=patients["started"],
        rows=rows,
    )


def report_csv(shown: "ShownReport") -> bytes:
    """The report as CSV (";" and a decimal comma, as French spreadsheets expect),
    written by `oncolien.tables` so that a structure named « =HYPERLINK(…) » stays text.
    The figures are those shown on the page (protected for regional staff)."""
    report = shown.report
    rows: list[list[str]] = [
        ["Structure", str(report.service)],
        ["Période (prescriptions)", report.start.isoformat(), report.end.isoformat()],
        ["Patients inclus", shown.included],
        ["Patients ayant au moins un acte réalisé", shown.started],
        [],
        ["Acte", "Prescrits", "Réalisés", "Montant réalisé (€)"],
        *([row.label, row.prescribed, row.done, row.amount] for row in shown.rows),
        [shown.total.label, shown.total.prescribed, shown.total.done, shown.total.amount],
        *([rule] for rule in shown.rules),
    ]
    return csv_bytes(rows)
