"""Closed-loop referrals (orientations) of a pathway to a supportive-care resource.

A referral goes to a service of the directory, or to a resource outside it (a
name and a contact). Its status moves only through `referrals.services`, which
applies the table of `referrals.statuses` and writes one `ReferralEvent` per
change: who, when, from what to what, and why.
"""

import secrets

from django.conf import settings
from django.db import models

from oncolien.referrals.statuses import ReferralStatus


def new_link_key() -> str:
    return secrets.token_urlsafe(12)


def appointment_label(day, at) -> str:
    """An appointment as people read it: « 15/12/2026 à 14h30 », or the date alone."""
    if day is None:
        return ""
    if at is None:
        return f"{day:%d/%m/%Y}"
    return f"{day:%d/%m/%Y} à {at:%H}h{at:%M}"


class Referral(models.Model):
    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="referrals"
    )
    care_type = models.ForeignKey(
        "reference.CareType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="soin de support",
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="offre de l'annuaire",
    )
    external_name = models.CharField("ressource hors annuaire", max_length=200, blank=True)
    external_contact = models.CharField("contact (téléphone, courriel)", max_length=250, blank=True)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PROPOSED,
    )
    reason = models.TextField("motif", blank=True)
    note = models.TextField("message au professionnel", blank=True)
    appointment_on = models.DateField("date du rendez-vous", null=True, blank=True)
    # The wall-clock time in Europe/Paris, as the provider gives it.
    appointment_time = models.TimeField("heure du rendez-vous", null=True, blank=True)
    # Part of the provider link's signature: changing it revokes every link sent.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the status last changed: "without news" is measured from here.
    status_changed_at = models.DateTimeField("dernier changement de statut", db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "orientation"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | ~models.Q(external_name=""),
                name="referral_has_a_recipient",
            )
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"Orientation n° {self.pk}"

    @property
    def cpts(self):
        # The authorisation module scopes a check by the object's `cpts`.
        return self.pathway.cpts

    @property
    def appointment_label(self) -> str:
        """« 15/12/2026 à 14h30 » (Europe/Paris), or the date alone for an older record."""
        return appointment_label(self.appointment_on, self.appointment_time)

    @property
    def recipient_name(self) -> str:
        if self.service_id:
            return str(self.service)
        return self.external_name

    @property
    def recipient_email(self) -> str:
        service = self.service
        if service is None:
            return ""
        return service.email or service.organization.email


class ReferralEvent(models.Model):
    """One change of a referral: its timeline entry and its trace."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # True when the provider answered through the signed link (no account: `by` is empty).
    via_provider_link = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "changement d'une orientation"

    @property
    def who(self) -> str:
        if self.via_provider_link:
            return "Le professionnel (lien sécurisé)"
        return str(self.by) if self.by_id else ""
