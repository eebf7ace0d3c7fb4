"""Curation pages: coordinators of a CPTS keep its directory up to date.

Every page checks `directory.edit` on the CPTS; anyone else gets a 404 (and the
refusal is audited by `authorize`). Writes go through directory.services.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST
from simple_history.utils import get_m2m_reverse_field_name

from oncolien.accounts.authorization import is_allowed
from oncolien.directory import services
from oncolien.directory.contributions import DIRECTORY_MODERATE
from oncolien.directory.forms import LocationForm, OrganizationForm, ServiceForm
from oncolien.directory.models import Location, Organization, Service, ServiceStatus
from oncolien.territories.models import Cpts
from oncolien.web.forms import show_errors
from oncolien.web.http import authorized_or_404

DIRECTORY_EDIT = services.DIRECTORY_EDIT


def _authorized(request, cpts) -> None:
    authorized_or_404(request.user, DIRECTORY_EDIT, cpts)


def _manage_url(cpts, anchor: str = "") -> str:
    url = reverse("directory:manage", kwargs={"slug": cpts.slug})
    return f"{url}#{anchor}" if anchor else url


def _saved(request, saved: services.Saved, message: str) -> None:
    messages.success(request, message)
    for warning in saved.warnings:
        messages.warning(request, warning)


# --- The CPTS directory, as its coordinators see it.


@login_required
def manage(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    _authorized(request, cpts)
    organizations = cpts.organizations.prefetch_related(
        Prefetch(
            "services",
            queryset=Service.objects.prefetch_related("care_types").order_by("name"),
        ),
        Prefetch("locations", queryset=Location.objects.select_related("commune")),
    )
    return render(
        request,
        "directory/curation/manage.html",
        {
            "cpts": cpts,
            "organizations": organizations,
            "pending_count": services.contribution_pending_count(cpts=cpts),
            "can_moderate": is_allowed(request.user, DIRECTORY_MODERATE, cpts),
        },
    )


# --- Organisations.


@login_required
def organization_create(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    _authorized(request, cpts)
    return _organization_form(request, cpts, Organization(cpts=cpts))


@login_required
def organization_edit(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("cpts"), pk=pk)
    _authorized(request, organization.cpts)
    return _organization_form(request, organization.cpts, organization)


def _organization_form(request, cpts, organization: Organization):
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organization_save(
                actor=request.user,
                cpts=cpts,
                organization=organization if organization.pk else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            _saved(request, saved, f"Structure « {saved.obj.name} » enregistrée.")
            return redirect(_manage_url(cpts, f"structure-{saved.obj.pk}"))
    return render(
        request,
        "directory/curation/organization_form.html",
        {"cpts": cpts, "organization": organization, "form": form},
    )


# --- Locations.


@login_required
def location_create(request, organization_pk: int):
    organization = get_object_or_404(
        Organization.objects.select_related("cpts"), pk=organization_pk
    )
    _authorized(request, organization.cpts)
    return _location_form(request, organization, Location(organization=organization))


@login_required
def location_edit(request, pk: int):
    location = get_object_or_404(
        Location.objects.select_related("organization__cpts", "commune"), pk=pk
    )
    _authorized(request, location.organization.cpts)
    return _location_form(request, location.organization, location)


def _location_form(request, organization: Organization, location: Location):
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.location_save(
                actor=request.user,
                organization=organization,
                location=location if location.pk else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            _saved(request, saved, "Lieu enregistré.")
            return redirect(_manage_url(organization.cpts, f"structure-{organization.pk}"))
    return render(
        request,
        "directory/curation/location_form.html",
        {
            "cpts": organization.cpts,
            "organization": organization,
            "location": location,
            "form": form,
        },
    )


# --- Services.


@login_required
def service_create(request, organization_pk: int):
    organization = get_object_or_404(
        Organization.objects.select_related("cpts"), pk=organization_pk
    )
    _authorized(request, organization.cpts)
    return _service_form(request, organization, Service(organization=organization))


def _service_for(request, pk: int) -> Service:
    service = get_object_or_404(Service.objects.select_related("organization__cpts"), pk=pk)
    _authorized(request, service.organization.cpts)
    return service


@login_required
def service_edit(request, pk: int):
    service = _service_for(request, pk)
    return _service_form(request, service.organization, service)


def _service_form(request, organization: Organization, service: Service):
    form = ServiceForm(request.POST or None, instance=service, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.service_save(
                actor=request.user,
                organization=organization,
                service=service if service.pk else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            _saved(request, saved, f"Offre « {saved.obj.name} » enregistrée.")
            return redirect(_manage_url(organization.cpts, f"offre-{saved.obj.pk}"))
    return render(
        request,
        "directory/curation/service_form.html",
        {"cpts": organization.cpts, "organization": organization, "service": service, "form": form},
    )


@login_required
@require_POST
def service_status(request, pk: int):
    """Deactivate (withdraw from the public directory) or reactivate a service."""
    service = _service_for(request, pk)
    status = request.POST.get("status")
    if status not in ServiceStatus.values:
        messages.error(request, "Statut inconnu : rien n'a été modifié.")
        return redirect(_manage_url(service.organization.cpts, f"offre-{service.pk}"))
    services.service_set_status(actor=request.user, service=service, status=status)
    if status == ServiceStatus.ACTIVE:
        text = f"L'offre « {service.name} » est réactivée : elle figure dans l'annuaire public."
    else:
        text = f"L'offre « {service.name} » est désactivée : elle n'apparaît plus en public."
    messages.success(request, text)
    return redirect(_manage_url(service.organization.cpts, f"offre-{service.pk}"))


@login_required
@require_POST
def service_verify(request, pk: int):
    service = _service_for(request, pk)
    services.service_mark_verified(actor=request.user, service=service)
    verified_on = service.last_verified_on
    assert verified_on is not None  # just set by service_mark_verified
    messages.success(request, f"Offre « {service.name} » vérifiée le {date_format(verified_on)}.")
    return redirect(_manage_url(service.organization.cpts, f"offre-{service.pk}"))


# --- History: who changed what, when, before and after.

# Saves that are part of one change (a service and then each of its lists) are
# recorded a few milliseconds apart; they are shown as one change.
SAME_CHANGE = timedelta(seconds=5)
NOT_SHOWN = {"id", "created_at", "updated_at"}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Change:
    at: datetime
    user: object
    created: bool
    fields: list[FieldChange]


def _text(model, name: str, value) -> str:
    """A field's value, from a historical record, as a reader expects it."""
    field = model._meta.get_field(name)
    if field.many_to_many:  # rows of the through table: {"service": …, "caretype": …}
        source = model._meta.model_name
        names = sorted(str(v) for row in value for key, v in row.items() if key != source)
        return ", ".join(names) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "year") and not field.is_relation:
        return date_format(value)
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _grouped(records: list) -> list[list]:
    """Consecutive records of one author within SAME_CHANGE, as one change."""
    groups: list[list] = []
    for record in records:
        group = groups[-1] if groups else None
        if (
            group is not None
            and record.history_type != "+"
            and record.history_user_id == group[0].history_user_id
            and record.history_date - group[0].history_date <= SAME_CHANGE
        ):
            group.append(record)
        else:
            groups.append([record])
    return groups


def _values_at_creation(model, record) -> list[FieldChange]:
    """The non-empty values an entry was created with."""
    m2m_names = {field.name for field in record._history_m2m_fields}
    values = []
    for field in model._meta.get_fields():
        # A field's value: a list of rows for a many-to-many field, an object or a scalar.
        value: Any
        if field.name in NOT_SHOWN or not getattr(field, "concrete", False):
            continue
        if field.many_to_many:
            if field.name not in m2m_names:
                continue
            target = get_m2m_reverse_field_name(field)
            value = [{target: getattr(row, target)} for row in getattr(record, field.name).all()]
        elif field.is_relation:
            value = getattr(record, field.name, None)
        else:
            value = getattr(record, field.attname)
        text = _text(model, field.name, value)
        if text != "—":
            values.append(FieldChange(_label(model, field.name), "—", text))
    return values


def history_changes(obj) -> list[Change]:
    """The history of an entry, newest first: each change with its author, its date
    and every changed field before and after (lists of care types etc. included)."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes = []
    previous = None
    for group in _grouped(records):
        first, last = group[0], group[-1]
        if previous is None or first.history_type == "+":
            fields = _values_at_creation(model, last)
        else:
            delta = last.diff_against(previous, foreign_keys_are_objs=True)
            # In the order of the model's fields, as the edit form shows them.
            order = [f.name for f in model._meta.get_fields()]
            fields = [
                FieldChange(
                    _label(model, c.field),
                    _text(model, c.field, c.old),
                    _text(model, c.field, c.new),
                )
                for c in sorted(delta.changes, key=lambda c: order.index(c.field))
                if c.field not in NOT_SHOWN
            ]
        if fields or first.history_type == "+":
            changes.append(
                Change(
                    at=last.history_date,
                    user=first.history_user,
                    created=first.history_type == "+",
                    fields=fields,
                )
            )
        previous = last
    return list(reversed(changes))


@login_required
def service_history(request, pk: int):
    service = _service_for(request, pk)
    return render(
        request,
        "directory/curation/history.html",
        {
            "cpts": service.organization.cpts,
            "title": f"Historique de l'offre « {service.name} »",
            "subject": service,
            "changes": history_changes(service),
        },
    )


@login_required
def organization_history(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("cpts"), pk=pk)
    _authorized(request, organization.cpts)
    return render(
        request,
        "directory/curation/history.html",
        {
            "cpts": organization.cpts,
            "title": f"Historique de la structure « {organization.name} »",
            "subject": organization,
            "changes": history_changes(organization),
        },
    )
