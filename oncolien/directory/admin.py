"""Admin of the directory: browse the entries and their history.

Entries are read-only here: their writes go through directory.services (used by
the "Gérer l'annuaire" pages, the import and the moderation), which check the
curator's CPTS, the identifiers and the required fields, keep who changed what,
and refresh the search index. An edit in the admin would skip all of that.
Contributions are read-mostly too: a spam one may be deleted, nothing else.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Contribution, Label, Location, Organization, Service, ServiceAtLocation


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    # Django 6 will assume https for an address without a scheme; do so now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LocationInline(admin.TabularInline):
    model = Location
    fields = readonly_fields = ("name", "address", "postal_code", "commune", "phone")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ServiceInline(admin.TabularInline):
    model = Service
    fields = readonly_fields = ("name", "status", "last_verified_on")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "kind", "cpts", "siret", "finess", "rpps", "is_fictitious"]
    list_filter = ["cpts", "kind", "is_fictitious"]
    search_fields = ["name", "siret", "finess", "rpps"]
    list_select_related = ["cpts"]
    inlines = [LocationInline, ServiceInline]


@admin.register(Location)
class LocationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "organization", "commune", "postal_code", "coordinates_given"]
    list_filter = ["organization__cpts", "coordinates_given"]
    search_fields = ["name", "address", "organization__name", "commune__name"]
    list_select_related = ["organization", "commune", "commune__department"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    fields = readonly_fields = ("location",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "organization", "status", "cost", "access", "last_verified_on"]
    list_filter = ["status", "organization__cpts", "care_types", "cost", "access", "labels"]
    search_fields = ["name", "description", "organization__name"]
    list_select_related = ["organization"]
    inlines = [ServiceAtLocationInline]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    # The code is what imports and exports refer to: it stays as the migration set it.
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cpts", "kind", "status", "contributor_name", "decided_by"]
    list_filter = ["status", "kind", "cpts"]
    search_fields = ["contributor_name", "contributor_email", "message"]
    list_select_related = ["cpts", "decided_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "cpts",
        "kind",
        "service",
        "proposal",
        "message",
        "contributor_name",
        "contributor_email",
        "sender_fingerprint",
        "status",
        "decision_reason",
        "decided_by",
        "decided_at",
        "resulting_service",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only; decisions are taken on the moderation page.
        return False
