from django.http import HttpResponse
from django.template import engines
from django.urls import path

from oncolien.pathways import selectors
from oncolien.urls import urlpatterns as project_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


# The least a page of patient data does: read one pathway through `pathway_for`
# (authorised, written to the audit trail) and show its patient's name in the shared
# layout (header, menus, the unread and open-alert counts).
_FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>{{ pathway.patient }}</h1>{% endblock %}'
)


def patient_page_floor(request, pk: int):
    pathway = selectors.pathway_for(user=request.user, pk=pk)
    return HttpResponse(_FLOOR.render({"pathway": pathway}, request))


urlpatterns = [
    path("bench/hello", hello),
    path("bench/plancher-page-patient/<int:pk>", patient_page_floor),
    *project_urlpatterns,
]
