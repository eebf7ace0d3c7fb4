from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .loader import CAUTION_NOTICE_CODE, DEFINITION_NOTICE_CODE


def care_types(request: HttpRequest) -> HttpResponse:
    """Public page: the supportive cares, who may deliver them, the phases and the caution."""
    cares = list(selectors.care_types_for_display())
    notices = selectors.notices_by_code()
    context = {
        "core_cares": [care for care in cares if care.basket and care.is_core],
        "complementary_cares": [care for care in cares if care.basket and not care.is_core],
        "outside_basket_cares": [care for care in cares if not care.basket],
        "phases": selectors.phases_for_display(),
        "definition": notices.get(DEFINITION_NOTICE_CODE),
        "basket_notice": notices.get("basket"),
        "outside_basket_notice": notices.get("outside_basket"),
        "caution": notices.get(CAUTION_NOTICE_CODE),
        "version": selectors.current_reference_version(),
    }
    return render(request, "reference/care_types.html", context)
