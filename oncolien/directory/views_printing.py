"""The printable directory of a CPTS, public like the online directory."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from oncolien.directory.printing import render_directory_pdf
from oncolien.territories.models import Cpts


@require_safe
def cpts_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = get_object_or_404(Cpts, slug=slug)
    pdf = render_directory_pdf(cpts=cpts)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    # Inline: the browser shows it, and its own button prints or saves it.
    disposition = content_disposition_header(False, pdf.filename)
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    return response
