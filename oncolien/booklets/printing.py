"""The booklet as a PDF (WeasyPrint): A4, or A5 pages to print and fold as a booklet.

A booklet is a few pages: it is laid out in the request, as a shared practice is
(practices/printing.py), from the pathway's current data. Nothing is fetched
(oncolien/pdf.py).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from oncolien.booklets.models import BookletEdition, PageFormat
from oncolien.booklets.selectors import booklet_content, edition_label, french_day
from oncolien.pathways.models import Pathway
from oncolien.pdf import refuse_fetch

TEMPLATE = "booklets/print.html"


def booklet_filename(pathway: Pathway, edition: BookletEdition) -> str:
    return f"livret-parcours-{pathway.pk}-edition-{edition.number}.pdf"


def render_booklet_html(pathway: Pathway, edition: BookletEdition) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "content": booklet_content(pathway, now=edition.printed_at),
                "edition": edition,
                "edition_label": edition_label(edition),
                "edition_day": french_day(edition.printed_at),
                "a5": edition.page_format == PageFormat.A5,
            },
        )


def render_booklet_pdf(pathway: Pathway, edition: BookletEdition) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_booklet_html(pathway, edition)
    content: bytes = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    return content
