"""A shared practice as a printable PDF (WeasyPrint), its radar included.

One practice is a page or two: it is laid out in the request. As for the printed
directory, nothing is ever fetched: the stylesheet is inline, the radar is inline
SVG, and any URL a text holds is refused, so that text typed by a proposer can
never make the server request a URL.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from oncolien.pdf import refuse_fetch
from oncolien.practices.models import Practice
from oncolien.practices.radar import definition, is_rated, radar_chart

TEMPLATE = "practices/print.html"


def practice_filename(practice: Practice) -> str:
    return f"retour-experience-{practice.cpts.slug}-{practice.pk}.pdf"


def render_practice_html(practice: Practice) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "practice": practice,
                "chart": radar_chart({practice.cpts.name: practice.radar}),
                "rated": is_rated(practice.radar),
                "radar": definition(),
            },
        )


def render_practice_pdf(practice: Practice) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_practice_html(practice)
    content: bytes = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    return content
