"""The contacts after the announcement: read by the CPTS's professionals, curated by
its coordinators (the directory's curation rule), printed as an A4 sheet.

Every page checks its permission on the CPTS; anyone else gets a 404, the refusal
audited by `authorize`. Writes go through contacts.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import is_allowed
from oncolien.audit.services import audit_record
from oncolien.contacts import services
from oncolien.contacts.access import CONTACTS_EDIT, CONTACTS_READ
from oncolien.contacts.forms import ContactForm
from oncolien.contacts.models import AnnouncementContact
from oncolien.contacts.printing import render_sheet_pdf, sheet_filename
from oncolien.contacts.selectors import contacts_of
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404, denied_as_404, user_of


@login_required
def contact_list(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, CONTACTS_READ, cpts)
    return render(
        request,
        "contacts/list.html",
        {
            "cpts": cpts,
            "contacts": contacts_of(cpts),
            "can_edit": is_allowed(request.user, CONTACTS_EDIT, cpts),
        },
    )


@login_required
def contact_sheet_pdf(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, CONTACTS_READ, cpts)
    audit_record(actor=request.user, action="announcement_contact.print", target=cpts)
    response = HttpResponse(render_sheet_pdf(cpts), content_type="application/pdf")
    disposition = content_disposition_header(False, sheet_filename(cpts))
    assert disposition is not None
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def contact_manage(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, CONTACTS_EDIT, cpts)
    return render(request, "contacts/manage.html", {"cpts": cpts, "contacts": contacts_of(cpts)})


def _manage_url(cpts: Cpts, anchor: str = "") -> str:
    url = reverse("contacts:manage", kwargs={"slug": cpts.slug})
    return f"{url}#{anchor}" if anchor else url


def _contact_form(request, cpts: Cpts, contact: AnnouncementContact | None):
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            with denied_as_404():
                saved = services.contact_save(
                    actor=user_of(request), cpts=cpts, contact=contact, **form.cleaned_data
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Contact « {saved.name} » enregistré.")
            return redirect(_manage_url(cpts, f"contact-{saved.pk}"))
    return render(
        request,
        "contacts/form.html",
        {"cpts": cpts, "contact": contact, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def contact_create(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, CONTACTS_EDIT, cpts)
    return _contact_form(request, cpts, None)


@login_required
def contact_edit(request, pk: int):
    contact = get_object_or_404(AnnouncementContact.objects.select_related("cpts"), pk=pk)
    authorized_or_404(request.user, CONTACTS_EDIT, contact.cpts)
    return _contact_form(request, contact.cpts, contact)


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = get_object_or_404(AnnouncementContact.objects.select_related("cpts"), pk=pk)
    cpts = contact.cpts
    authorized_or_404(request.user, CONTACTS_EDIT, cpts)
    name = contact.name
    services.contact_delete(actor=user_of(request), contact=contact)
    messages.success(request, f"Contact « {name} » retiré de la liste.")
    return redirect(_manage_url(cpts))
