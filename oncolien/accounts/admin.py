from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from oncolien.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["cpts"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Santé", {"fields": ("phone", "rpps")}))
