"""The printable directory of a CPTS, public like the online directory.

The file is rendered by the task queue and kept (`printing.edition_for_download`):
a download serves the kept edition at once, with its date, and never lays out a PDF
in the request; before the first edition exists, a page says it is being prepared.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from oncolien.directory.printing import edition_for_download
from oncolien.territories.models import Cpts

RETRY_SECONDS = 10


@require_safe
def cpts_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = get_object_or_404(Cpts, slug=slug)
    edition = edition_for_download(cpts=cpts)
    if not edition.is_ready:
        response = render(
            request,
            "directory/print/preparing.html",
            {"cpts": cpts, "retry_seconds": RETRY_SECONDS, "problem": edition.error},
        )
        response["Retry-After"] = str(RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(bytes(edition.content), content_type="application/pdf")
    # Inline: the browser shows it, and its own button prints or saves it.
    disposition = content_disposition_header(False, edition.filename)
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    if edition.rendered_at is not None:
        response["Last-Modified"] = http_date(edition.rendered_at.timestamp())
    # A newer edition may be on its way: caches keep this one only briefly.
    response["Cache-Control"] = "public, max-age=300"
    return response
