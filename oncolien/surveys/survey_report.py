"""The survey's PDF report (WeasyPrint, nothing fetched): title, method (versions,
dates, respondents, filters), every question's tables and chart, the themes of free
text; « Page x sur y ». Made from the same `Results` as the page, so they agree."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oncolien.pdf import refuse_fetch
from oncolien.surveys.results import Results

TEMPLATE = "surveys/report_pdf.html"


def report_html(results: Results) -> str:
    context = {"results": results, "survey": results.data.survey, "edited_at": timezone.localtime()}
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, context)


def report_pdf(results: Results) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=report_html(results), url_fetcher=refuse_fetch).write_pdf()


def report_filename(results: Results) -> str:
    return f"enquete-{results.data.survey.code}.pdf"
