"""Only the alert protocols are in the admin: patient data never is (it would bypass
the authorisation check and the audit trail)."""

from django.contrib import admin

from oncolien.pathways.models import AlertProtocol


@admin.register(AlertProtocol)
class AlertProtocolAdmin(admin.ModelAdmin):
    list_display = ["cpts", "fever_threshold_c", "escalation_after_minutes"]
    autocomplete_fields = ["cpts"]
    # Roles that acknowledge and instructions are edited by the CPTS coordinator on the
    # protocol page of the app, with its French validation.
    fields = ["cpts", "fever_threshold_c", "escalation_after_minutes"]
