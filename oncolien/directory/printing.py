"""The printable directory of a CPTS ("version papier"): HTML rendered to PDF by WeasyPrint.

The field documents ask for a directory "accessible en ligne et en version
papier": many patients and professionals of rural territories work from paper.
The PDF is built from the same read as the public pages
(`selectors.services_by_care_type`), so the two never disagree.

`directory_edition` gathers what the document shows into plain values (so the
templates only lay it out, and the content can be tested without a PDF);
`render_directory_pdf` lays it out.

A layout takes seconds, so it never runs in a public request: the task queue
renders each CPTS's edition (`edition_render`) and keeps the file
(`models.PrintedEdition`); the download serves the kept file at once, with its
own date, and asks for a new edition when the directory has changed since
(`edition_for_download`, compared by `directory_fingerprint`) or the date is
behind. A periodic task renders every kept edition that is behind
(`editions_refresh`), so a coordinator's fix reaches the paper version even if no
one downloads it in between.
"""

from __future__ import annotations

import gc
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oncolien.directory.models import Cost, Location, Organization, PrintedEdition, Service
from oncolien.directory.selectors import services_by_care_type
from oncolien.pdf import refuse_fetch
from oncolien.reference.models import CareType, Notice
from oncolien.reference.selectors import caution_notice

logger = logging.getLogger(__name__)

TEMPLATE = "directory/print/directory.html"
NBSP = "\u00a0"


@dataclass(frozen=True)
class PrintedPlace:
    """One place where the service is delivered, as printed."""

    label: str  # "Maison des associations, 2 place du Foirail, 12500 Espalion"
    opening_hours: str = ""
    accessibility: str = ""


@dataclass(frozen=True)
class PrintedEntry:
    """One service as the paper directory shows it: only strings, ready to print."""

    service_id: int
    name: str
    organization: str
    organization_kind: str
    description: str
    places: list[PrintedPlace]
    home_service: str  # the communes served at home; "" when not a home service
    phone: str
    email: str
    website: str
    access: str
    cost: str
    labels: list[str]
    professions: list[str]
    audience: str
    phases: str
    needs_verification: bool
    is_fictitious: bool

    @property
    def contacts(self) -> list[str]:
        return [
            value
            for value in (f"Tél. {self.phone}" if self.phone else "", self.email, self.website)
            if value
        ]


@dataclass(frozen=True)
class PrintedItem:
    """A service under one care type: in full the first time, then as a reference to it."""

    entry: PrintedEntry
    in_full: bool
    described_under: str  # the care type under which the entry is printed in full

    @property
    def anchor(self) -> str:
        return f"offre-{self.entry.service_id}"


@dataclass(frozen=True)
class PrintedSection:
    care_type: CareType
    anchor: str  # the id the table of contents links to
    basket_label: str
    items: list[PrintedItem]


@dataclass(frozen=True)
class DirectoryEdition:
    """Everything the printed directory of one CPTS shows, on one date."""

    cpts: object
    edited_on: date
    sections: list[PrintedSection]
    caution: Notice | None
    service_count: int
    has_fictitious: bool
    to_verify_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.sections


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int
    filename: str
    edited_on: date


def format_euros(amount: Decimal) -> str:
    """French money: "35 €", "12,50 €" (comma, non-breaking space before the sign)."""
    if amount == amount.to_integral_value():
        number = f"{int(amount)}"
    else:
        number = f"{amount:.2f}".replace(".", ",")
    return f"{number}{NBSP}€"


def cost_text(service: Service) -> str:
    if service.cost == Cost.REMAINING_COST and service.remaining_cost_amount is not None:
        text = f"Reste à charge : {format_euros(service.remaining_cost_amount)}"
    else:
        text = service.get_cost_display()
    if service.cost_details:
        text = f"{text} — {service.cost_details}"
    return text


def audience_text(service: Service) -> str:
    if service.for_patients and service.for_relatives:
        return "Patients, proches et aidants"
    if service.for_relatives:
        return "Proches et aidants"
    return "Patients"


def phases_text(service: Service) -> str:
    phases = [
        label
        for wanted, label in (
            (service.phase_diagnosis, "diagnostic"),
            (service.phase_treatment, "pendant le traitement"),
            (service.phase_after_treatment, "après le traitement"),
        )
        if wanted
    ]
    if len(phases) == 3:
        return "Tout au long du parcours"
    return ", ".join(phases).capitalize()


def _place(location) -> PrintedPlace:
    town = " ".join(part for part in (location.postal_code, location.commune.name) if part)
    parts = [part for part in (location.name, location.address, town) if part]
    return PrintedPlace(
        label=", ".join(parts),
        opening_hours=location.opening_hours,
        accessibility=location.accessibility,
    )


def printed_entry(service: Service) -> PrintedEntry:
    """The printed form of a service; its relations must be prefetched (see `directory_edition`)."""
    organization = service.organization
    locations = list(service.locations.all())
    home_service = ""
    if service.is_home_service:
        served = sorted(commune.name for commune in service.communes_served.all())
        home_service = ", ".join(served) if served else "Sur le territoire de la CPTS"

    def first(*values: str) -> str:
        return next((value for value in values if value), "")

    return PrintedEntry(
        service_id=service.pk,
        name=service.name,
        organization=organization.name,
        organization_kind=organization.get_kind_display(),
        description=service.description,
        places=[_place(location) for location in locations],
        home_service=home_service,
        phone=first(service.phone, *(loc.phone for loc in locations), organization.phone),
        email=first(service.email, *(loc.email for loc in locations), organization.email),
        website=first(service.url, organization.website),
        access=service.get_access_display(),
        cost=cost_text(service),
        labels=[label.name for label in service.labels.all()],
        professions=sorted(profession.name for profession in service.professions.all()),
        audience=audience_text(service),
        phases=phases_text(service),
        needs_verification=service.needs_verification,
        is_fictitious=organization.is_fictitious,
    )


def basket_label(care_type: CareType) -> str:
    if care_type.is_core:
        return "Soin de support du panier INCa (socle)"
    if care_type.basket:
        return "Soin de support du panier INCa (complémentaire)"
    return "Soin complémentaire hors panier INCa"


def directory_edition(*, cpts, edited_on: date | None = None) -> DirectoryEdition:
    """The content of the printed directory of `cpts`, grouped by care type.

    A service with several care types is listed under each of them, as on the
    public CPTS page, since a reader looks up one need at a time; but it is
    printed in full only under the first (in the reference order of the cares),
    and the other sections name that one. Printing it in full each time made a
    500-service directory a third longer, and slower to render, for no more
    information. The reference names the section rather than its page: a page
    number (CSS target-counter) makes WeasyPrint lay out most pages twice.
    """
    groups = services_by_care_type(cpts=cpts)
    services = {service.pk: service for group in groups for service in group.services}
    # The shared selector leaves out what only the paper shows (communes served).
    prefetch_related_objects(list(services.values()), "communes_served")
    entries = {pk: printed_entry(service) for pk, service in services.items()}
    described_under: dict[int, str] = {}
    sections = []
    for group in groups:
        items = []
        for service in group.services:
            in_full = service.pk not in described_under
            described_under.setdefault(service.pk, group.care_type.name)
            items.append(PrintedItem(entries[service.pk], in_full, described_under[service.pk]))
        sections.append(
            PrintedSection(
                care_type=group.care_type,
                anchor=f"soin-{group.care_type.code}",
                basket_label=basket_label(group.care_type),
                items=items,
            )
        )
    return DirectoryEdition(
        cpts=cpts,
        edited_on=edited_on or timezone.localdate(),
        sections=sections,
        caution=caution_notice(),
        service_count=len(entries),
        has_fictitious=any(entry.is_fictitious for entry in entries.values()),
        to_verify_count=sum(entry.needs_verification for entry in entries.values()),
    )


def directory_filename(*, cpts, edited_on: date) -> str:
    return f"annuaire-soins-de-support-{cpts.slug}-{edited_on:%Y-%m-%d}.pdf"


def render_directory_html(edition: DirectoryEdition) -> str:
    # Month names come from Django's translations: render in the site's language
    # even outside a request (management command, benchmark).
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, {"edition": edition})


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector while WeasyPrint lays out the document.

    The layout allocates millions of short-lived objects, which triggers a full
    collection over the whole heap again and again: about a fifth of the render
    time of a 500-entry directory. Reference counting still frees most objects;
    the few cycles are collected once the collector is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_directory_pdf(*, cpts, edited_on: date | None = None) -> RenderedPdf:
    """The printable directory of `cpts` as a PDF, with its page count and file name."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    edition = directory_edition(cpts=cpts, edited_on=edited_on)
    html = render_directory_html(edition)
    # Untagged on purpose: the paper version is made to be printed, and screen-reader
    # users have the same content as accessible HTML pages. Tagging (pdf_tags=True)
    # adds 15 to 20 % to the render time and would push a 500-entry directory past
    # the 5-second target on a busy server.
    with _cyclic_gc_paused():
        document = HTML(string=html, url_fetcher=refuse_fetch).render()
        content = document.write_pdf()
    return RenderedPdf(
        content=content,
        page_count=len(document.pages),
        filename=directory_filename(cpts=cpts, edited_on=edition.edited_on),
        edited_on=edition.edited_on,
    )


# --- Editions kept and rendered by the task queue -----------------------------------

# A render queued this long ago and never finished (the consumer stopped) may be asked
# for again.
REQUEUE_AFTER_SECONDS = 600
RENDER_FAILED = (
    "La dernière mise en page de cette édition a échoué ; l'erreur a été enregistrée et "
    "un nouvel essai aura lieu dans quelques minutes."
)


def directory_fingerprint(*, cpts) -> str:
    """The state of the directory of `cpts`, as the history of its entries tells it.

    Every write of a structure, a place or an offer (through the services, an import,
    the admin) adds a historical record, deletions included; the last record of each
    kind names the state. Three indexed aggregates: cheap enough for each download.
    """
    parts = []
    for model, where in (
        (Organization, Q(cpts_id=cpts.pk)),
        (Location, Q(organization__cpts_id=cpts.pk)),
        (Service, Q(organization__cpts_id=cpts.pk)),
    ):
        history = model.history.model
        last = history.objects.filter(where).aggregate(last=Max("history_id"))["last"]
        parts.append(str(last or 0))
    return "-".join(parts)


def edition_is_current(edition: PrintedEdition, *, cpts, today: date | None = None) -> bool:
    """Whether the kept file shows the directory as it is, dated today."""
    return (
        edition.is_ready
        and edition.edited_on == (today or timezone.localdate())
        and edition.fingerprint == directory_fingerprint(cpts=cpts)
    )


def edition_request(*, cpts) -> bool:
    """Queue a render of the edition of `cpts`, unless one is already waiting.

    Returns whether a render was queued. The task is handed its id once the caller's
    transaction commits; a queue that cannot be reached leaves the edition as it is
    (the next download or the periodic task asks again) and never fails the request.
    """
    PrintedEdition.objects.get_or_create(cpts=cpts)
    now = timezone.now()
    claimed = (
        PrintedEdition.objects.filter(cpts=cpts)
        .filter(
            Q(queued_at__isnull=True)
            | Q(queued_at__lt=now - timedelta(seconds=REQUEUE_AFTER_SECONDS))
        )
        .update(queued_at=now)
    )
    if not claimed:
        return False

    def enqueue() -> None:
        from oncolien.directory import tasks  # the tasks module imports this one

        try:
            tasks.render_edition(cpts.pk)
        except Exception:
            logger.exception("Printable directory of CPTS %s could not be queued", cpts.pk)
            PrintedEdition.objects.filter(cpts=cpts).update(queued_at=None)

    transaction.on_commit(enqueue, robust=True)
    return True


def edition_for_download(*, cpts) -> PrintedEdition:
    """The kept edition of `cpts` to serve now (`is_ready` False while the first one is
    made; `error` says when the last render failed).

    Never renders: when the kept file is missing, behind the directory or dated
    before today, a new edition is queued and the kept one (if any) is served."""
    edition = PrintedEdition.objects.filter(cpts=cpts).first()
    if edition is None or not edition_is_current(edition, cpts=cpts):
        edition_request(cpts=cpts)
        if edition is None:
            edition = PrintedEdition.objects.get(cpts=cpts)
    return edition


def edition_render(*, cpts) -> PrintedEdition:
    """Render the edition of `cpts` now and keep it (run by the task queue)."""
    fingerprint = directory_fingerprint(cpts=cpts)  # read before: a change during the
    started = time.perf_counter()  # render leaves the file behind, and is seen later
    try:
        pdf = render_directory_pdf(cpts=cpts)
    except Exception:
        logger.exception("Printable directory of CPTS %s failed to render", cpts.pk)
        # queued_at is kept: downloads ask again only after REQUEUE_AFTER_SECONDS, and
        # the periodic pass tries again meanwhile.
        PrintedEdition.objects.filter(cpts=cpts).update(error=RENDER_FAILED)
        raise
    seconds = time.perf_counter() - started
    edition, _ = PrintedEdition.objects.get_or_create(cpts=cpts)
    edition.content = pdf.content
    edition.filename = pdf.filename
    edition.page_count = pdf.page_count
    edition.edited_on = pdf.edited_on
    edition.rendered_at = timezone.now()
    edition.render_seconds = round(seconds, 2)
    edition.fingerprint = fingerprint
    edition.queued_at = None
    edition.error = ""
    edition.save()
    logger.info("Printable directory of CPTS %s rendered in %.2f s", cpts.pk, seconds)
    return edition


def editions_refresh(*, today: date | None = None) -> list[int]:
    """Render every kept edition that is behind its directory or dated before today;
    return the ids of the CPTS rendered. Run daily (and more often, for changes) by
    the task queue; a failure of one CPTS does not stop the others."""
    rendered = []
    for edition in PrintedEdition.objects.select_related("cpts").defer("content"):
        cpts = edition.cpts
        fresh = edition.rendered_at is not None and (
            edition.edited_on == (today or timezone.localdate())
            and edition.fingerprint == directory_fingerprint(cpts=cpts)
        )
        if fresh:
            continue
        try:
            edition_render(cpts=cpts)
        except Exception:  # noqa: S112 - logged and recorded by edition_render
            continue
        rendered.append(cpts.pk)
    return rendered
