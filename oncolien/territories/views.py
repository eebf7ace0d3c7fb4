"""Public pages: the CPTS and their communes. No patient data here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Cpts
from .svg_map import centroid_map


def cpts_list(request: HttpRequest) -> HttpResponse:
    context = {
        "summaries": selectors.cpts_summaries(),
        "size_class_ranges": selectors.size_class_ranges(),
    }
    return render(request, "territories/cpts_list.html", context)


def cpts_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cpts = get_object_or_404(Cpts, slug=slug)
    communes = list(selectors.cpts_communes(cpts=cpts))
    context = {
        "cpts": cpts,
        "summary": selectors.cpts_summary(cpts=cpts),
        "communes": communes,
        "map": centroid_map(communes=communes),
        "size_class_ranges": selectors.size_class_ranges(),
    }
    return render(request, "territories/cpts_detail.html", context)
