"""Read-mostly admin: the reference data is changed through the versioned file and its loader."""

from django.contrib import admin

from .models import (
    CareType,
    CareTypeProfession,
    Notice,
    PhaseDescription,
    Profession,
    ReferenceDataVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: an edit here would be overwritten by the next ``load_reference``."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CareTypeProfessionInline(admin.TabularInline):
    model = CareTypeProfession
    fields = ["position", "profession"]
    readonly_fields = ["position", "profession"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CareType)
class CareTypeAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "basket", "is_core", "position", "active"]
    list_filter = ["basket", "is_core", "active"]
    search_fields = ["name", "code"]
    inlines = [CareTypeProfessionInline]


@admin.register(Profession)
class ProfessionAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


@admin.register(PhaseDescription)
class PhaseDescriptionAdmin(ReadOnlyAdmin):
    list_display = ["phase", "title", "position"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "position"]


@admin.register(ReferenceDataVersion)
class ReferenceDataVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "loaded_at", "checksum"]
