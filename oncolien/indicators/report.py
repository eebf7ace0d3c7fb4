"""The activity report of a CPTS for a period: the PDF its coordination sends its ARS.

The report shows what the dashboard shows (`dashboard.dashboard_for`, so the two
never disagree): each indicator with its definition, what it counts over what,
and its figure; a chart of the indicators that are shares, with the table of its
values; and the method note. `report_content` gathers it into plain values,
`render_report_pdf` lays it out with WeasyPrint (nothing fetched).

A layout takes seconds, so it never runs in a request: `report_request` keeps an
`ActivityReport` « en préparation » and hands its id to the task queue once the
request commits (`tasks.render_activity_report`); `report_render`, in the task,
keeps the PDF in it and only then marks it « prêt » — or « échec », with the
French reason. Asked again while one is in preparation, the same report is given
back: one render.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.disclosure import RULE
from oncolien.pdf import refuse_fetch
from oncolien.territories.models import Cpts
from oncolien.web import charts

from . import periods
from .access import INDICATORS_VIEW
from .dashboard import Dashboard, dashboard_for
from .models import ActivityReport, ReportStatus
from .periods import Period

logger = logging.getLogger(__name__)

TEMPLATE = "indicators/report_pdf.html"
# A render handed to the queue this long ago and still not done (the consumer
# stopped) is handed again when the report is asked for.
REQUEUE_AFTER = timedelta(minutes=10)

QUEUE_DOWN = (
    "le rapport n'a pas pu être mis en préparation : le traitement en arrière-plan est "
    "injoignable. Demandez-le de nouveau dans quelques minutes."
)
RENDER_FAILED = (
    "la mise en page du PDF a échoué ; l'erreur a été enregistrée. Demandez de nouveau le "
    "rapport, ou prévenez l'administrateur si l'échec se répète."
)
NO_LONGER_ALLOWED = (
    "la personne qui l'a demandé n'a plus accès aux indicateurs de cette CPTS ; le rapport "
    "n'a pas été préparé."
)
EXACT_FIGURES_NOTE = (
    "Ce rapport donne les chiffres exacts de la CPTS, petits effectifs compris : aucun "
    "chiffre n'y est masqué ni arrondi. Un effectif de 1 à 4 peut permettre de reconnaître "
    "un patient : transmettez ce document par un canal sécurisé, à des destinataires "
    "habilités. Les vues régionales d'OncoLien, elles, appliquent la règle suivante."
)


@dataclass(frozen=True)
class ReportContent:
    """Everything the activity report shows, for one CPTS, one period, one edition."""

    board: Dashboard
    edited_at: datetime
    shares_chart: charts.Chart | None
    exact_figures_note: str = EXACT_FIGURES_NOTE
    disclosure_rule: str = RULE

    @property
    def cpts(self) -> Cpts:
        return self.board.cpts

    @property
    def period(self) -> Period:
        return self.board.period

    @property
    def edited_text(self) -> str:
        """« 1er décembre 2026 à 09:05 », in Paris time."""
        local = timezone.localtime(self.edited_at, timezone=periods.PARIS)
        with translation.override(settings.LANGUAGE_CODE):
            day = "1er" if local.day == 1 else str(local.day)
            return f"{day} {date_format(local, 'F Y')} à {local:%H:%M}"


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    page_count: int
    filename: str


def shares_chart(board: Dashboard) -> charts.Chart | None:
    """Bars of the indicators that are shares (« 35 sur 70 »), in percent; None when
    the definitions have none. A share with no case on the period is drawn as no
    bar and written « — » in the table, never as 0 %."""
    lines = [line for line in board.lines if line.indicator.unit == "proportion"]
    if not lines:
        return None
    values = [
        None if line.figure.share is None else round(line.figure.share * 100) for line in lines
    ]
    return charts.bars(
        f"Indicateurs exprimés en part, {board.period.label}",
        [line.indicator.name for line in lines],
        {"Part (%)": values},
        horizontal=True,
        width=720,
        height=60 + 34 * len(lines),
    )


def report_content(*, cpts: Cpts, period: Period, edited_at: datetime | None = None):
    board = dashboard_for(cpts, period)
    return ReportContent(
        board=board, edited_at=edited_at or timezone.now(), shares_chart=shares_chart(board)
    )


def report_filename(*, cpts: Cpts, period: Period) -> str:
    return f"rapport-activite-{cpts.slug}-{period.code.replace('..', '_au_')}.pdf"


def render_report_html(content: ReportContent) -> str:
    # Month names from Django's translations, times in Paris: the same whoever renders
    # it (a task has no request, hence no active language).
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        return render_to_string(TEMPLATE, {"content": content, "board": content.board})


def render_report_pdf(
    *, cpts: Cpts, period: Period, edited_at: datetime | None = None
) -> RenderedReport:
    """The activity report as a PDF (seconds of CPU: only the task queue calls it)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    content = report_content(cpts=cpts, period=period, edited_at=edited_at)
    document = HTML(string=render_report_html(content), url_fetcher=refuse_fetch).render()
    return RenderedReport(
        content=document.write_pdf(),
        page_count=len(document.pages),
        filename=report_filename(cpts=cpts, period=period),
    )


# --- Reports asked for, rendered by the task queue ----------------------------------


def report_request(*, cpts: Cpts, period: Period, actor: User) -> tuple[ActivityReport, bool]:
    """The report of `cpts` for `period`, queued for rendering unless one is already
    in preparation; returns it and whether a render was queued now. The caller has
    authorised `actor` (INDICATORS_VIEW on `cpts`)."""
    now = timezone.now()
    waiting = ActivityReport.objects.filter(
        cpts=cpts, period_code=period.code, status=ReportStatus.REQUESTED
    )
    report = waiting.defer("content").first()
    if report is not None:
        # Lost with a stopped consumer? Handed again, once (conditional update).
        stale = waiting.filter(pk=report.pk, queued_at__lt=now - REQUEUE_AFTER).update(
            queued_at=now
        )
        if stale:
            _enqueue(report.pk)
        return report, bool(stale)
    try:
        with transaction.atomic():
            report = ActivityReport.objects.create(
                cpts=cpts, period_code=period.code, requested_by=actor, queued_at=now
            )
    except IntegrityError:
        # Asked at the same instant by another request: that one queued it.
        return waiting.defer("content").get(), False
    _enqueue(report.pk)
    return report, True


def _enqueue(report_id: int) -> None:
    from oncolien.indicators import tasks  # the tasks module imports this one

    def enqueue() -> None:
        try:
            tasks.render_activity_report(report_id)
        except Exception:
            logger.exception("Activity report %s could not be queued", report_id)
            _finish_failed(report_id, QUEUE_DOWN)

    if transaction.get_connection().in_atomic_block:
        # The task must find the row: it is handed over once the request commits.
        transaction.on_commit(enqueue, robust=True)
    else:
        enqueue()


def _finish_failed(report_id: int, reason: str) -> None:
    ActivityReport.objects.filter(pk=report_id, status=ReportStatus.REQUESTED).update(
        status=ReportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def _acting_user(user: User | None) -> User | None:
    """The requester, as the task acts for them: authorised again (roles, CPTS, active
    account), since rights may have changed while the task waited. The request that
    queued it was made from a session verified by the second factor; the task carries
    that verification, which has no session to read it from."""
    if user is not None:
        user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def report_render(*, report_id: int) -> ActivityReport | None:
    """Lay out the report `report_id` and keep its PDF (run by the task queue). A
    report no longer in preparation (done by an earlier run of the same task) is
    left as it is."""
    report = (
        ActivityReport.objects.select_related("cpts", "requested_by")
        .filter(pk=report_id, status=ReportStatus.REQUESTED)
        .first()
    )
    if report is None:
        return None
    user = _acting_user(report.requested_by)
    if not is_allowed(user, INDICATORS_VIEW, report.cpts):
        _finish_failed(report.pk, NO_LONGER_ALLOWED)
        return None
    try:
        period = periods.parse(report.period_code)
        edited_at = timezone.now()
        pdf = render_report_pdf(cpts=report.cpts, period=period, edited_at=edited_at)
    except Exception:
        logger.exception("Activity report %s failed to render", report.pk)
        _finish_failed(report.pk, RENDER_FAILED)
        return None
    # The file and « prêt » in one update: never one without the other.
    ActivityReport.objects.filter(pk=report.pk, status=ReportStatus.REQUESTED).update(
        status=ReportStatus.READY,
        content=pdf.content,
        filename=pdf.filename,
        page_count=pdf.page_count,
        error="",
        edited_at=edited_at,
        finished_at=timezone.now(),
    )
    logger.info("Activity report %s rendered (%s pages)", report.pk, pdf.page_count)
    return ActivityReport.objects.get(pk=report.pk)


def reports_of(cpts: Cpts, *, limit: int = 50) -> QuerySet[ActivityReport]:
    """The reports of `cpts`, newest first, without their files."""
    return ActivityReport.objects.filter(cpts=cpts).defer("content")[:limit]


def period_label(report: ActivityReport) -> str:
    try:
        return periods.parse(report.period_code).label
    except periods.InvalidPeriod:  # a code written by an older version
        return report.period_code
