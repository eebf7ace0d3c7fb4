"""The short public page a campaign's QR code opens: no account, phone first.

What the CPTS offers and who to call, « ma commune est-elle couverte ? », and a
request to be called back. Nothing typed here is logged: the page's address holds
only the campaign's code, and both forms are posted."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from oncolien.audit.services import client_address
from oncolien.outreach import selectors, services
from oncolien.outreach.forms import ContactForm, TerritoryCheckForm
from oncolien.outreach.material import territory_sentence
from oncolien.territories.lookups import resolve_commune
from oncolien.web.forms import show_errors


def _campaign(code: str):
    campaign = selectors.public_campaign(code)
    if campaign is None:
        raise Http404("Page introuvable.")
    return campaign


def public(request, code: str):
    campaign = _campaign(code)
    check_form = TerritoryCheckForm(prefix="verif")
    contact_form = ContactForm()
    coverage = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "check":
        check_form = TerritoryCheckForm(request.POST, prefix="verif")
        if check_form.is_valid():
            try:
                commune = resolve_commune(check_form.cleaned_data["commune"])
            except ValidationError as error:
                check_form.add_error("commune", error)
                status = 400
            else:
                coverage = services.coverage_for(cpts=campaign.cpts, commune=commune)
                if not coverage.covered:
                    coverage_message = services.not_covered_message(coverage, campaign.cpts)
                    return _page(
                        request,
                        campaign,
                        check_form,
                        contact_form,
                        coverage=coverage,
                        coverage_message=coverage_message,
                    )
                # A covered commune is written in the contact form for the person.
                contact_form = ContactForm(initial={"commune": commune.name})
        else:
            status = 400
    elif request.method == "POST":
        contact_form = ContactForm(request.POST)
        if contact_form.honeypot_filled:
            # A robot: it is told the same as a person, and nothing is kept.
            return redirect("outreach:public_thanks", code=campaign.code)
        status = 400
        if contact_form.is_valid():
            data = contact_form.cleaned_data
            try:
                services.contact_request_submit(
                    campaign=campaign,
                    name=data["name"],
                    phone=data["phone"],
                    commune=data["commune"],
                    postal_code=data["postal_code"],
                    preferred_time=data["preferred_time"],
                    message=data["message"],
                    consent=data["consent"],
                    client_ip=client_address(),
                )
            except ValidationError as error:
                show_errors(contact_form, error)
            except services.TooManyRequests as limited:
                response = _page(
                    request,
                    campaign,
                    check_form,
                    contact_form,
                    rate_limited=str(limited),
                    status=429,
                )
                response["Retry-After"] = str(limited.retry_after)
                return response
            else:
                return redirect("outreach:public_thanks", code=campaign.code)
    else:
        services.campaign_visit_count(campaign)
    return _page(request, campaign, check_form, contact_form, coverage=coverage, status=status)


def _page(request, campaign, check_form, contact_form, *, status=200, **extra):
    material = services.material_of(campaign.cpts)
    count = campaign.cpts.communes.count()
    context = {
        "campaign": campaign,
        "cpts": campaign.cpts,
        "material": material,
        "phone_link": material.phone.replace(" ", "").replace(".", ""),
        "territory_sentence": territory_sentence(count, campaign.cpts.name),
        "check_form": check_form,
        "form": contact_form,
        **extra,
    }
    return render(request, "outreach/public.html", context, status=status)


def public_thanks(request, code: str):
    campaign = _campaign(code)
    material = services.material_of(campaign.cpts)
    return render(
        request,
        "outreach/public_thanks.html",
        {
            "campaign": campaign,
            "cpts": campaign.cpts,
            "material": material,
            "phone_link": material.phone.replace(" ", "").replace(".", ""),
        },
    )
