"""The contacts sheet of a CPTS as an A4 PDF (WeasyPrint).

One page or two with no patient data: it is laid out in the request, as a shared
practice is (practices/printing.py). Nothing is fetched (oncolien/pdf.py).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from oncolien.contacts.selectors import contacts_of
from oncolien.pdf import refuse_fetch
from oncolien.territories.models import Cpts

TEMPLATE = "contacts/print.html"


def sheet_filename(cpts: Cpts) -> str:
    return f"contacts-apres-annonce-{cpts.slug}.pdf"


def render_sheet_html(cpts: Cpts) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "cpts": cpts,
                "contacts": contacts_of(cpts),
                "edition_day": date_format(timezone.localdate(), "j F Y"),
            },
        )


def render_sheet_pdf(cpts: Cpts) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    content: bytes = HTML(string=render_sheet_html(cpts), url_fetcher=refuse_fetch).write_pdf()
    return content
