"""The nurses of a CPTS trained in oncology coordination (« 9 infirmières formées »),
their trainings with sessions and hours, and the calendar of upcoming trainings and
events of a CPTS or of a region (« les jeudis Onco-Occitanie »)."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


def hours_label(hours: Decimal) -> str:
    """« 3,5 h », « 14 h », « 3,75 h »: the hours as a French reader writes them."""
    text = format(Decimal(hours).normalize(), "f")
    return f"{text.replace('.', ',')} h"


RPPS = RegexValidator(r"^\d{11}$", "Le numéro RPPS compte 11 chiffres.")


class TrainedProfessional(models.Model):
    """A professional of the CPTS's roster: an OncoLien user, or a named professional
    without an account."""

    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.CASCADE,
        related_name="trained_professionals",
        verbose_name="CPTS",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte OncoLien",
    )
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    profession = models.CharField("profession", max_length=100, default="Infirmier·ère libéral·e")
    rpps = models.CharField("RPPS", max_length=11, blank=True, validators=[RPPS])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = "professionnel·le formé·e"
        verbose_name_plural = "professionnel·les formé·es"
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "user"],
                condition=Q(user__isnull=False),
                name="trained_professional_user_once_per_cpts",
            ),
            models.UniqueConstraint(
                fields=["cpts", "rpps"],
                condition=~Q(rpps=""),
                name="trained_professional_rpps_once_per_cpts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Training(models.Model):
    """A training followed by professionals of the CPTS (« Rôle de l'infirmier de
    coordination (IDEC) en cancérologie », CHU de Clermont-Ferrand, mars 2023)."""

    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.CASCADE, related_name="trainings", verbose_name="CPTS"
    )
    title = models.CharField("intitulé", max_length=200)
    organiser = models.CharField("organisme de formation", max_length=200)
    place = models.CharField("lieu", max_length=200, blank=True)
    remote = models.BooleanField("en distanciel (tout ou partie)", default=False)
    description = models.TextField("description", blank=True)
    participants = models.ManyToManyField(
        TrainedProfessional, blank=True, related_name="trainings", verbose_name="participant·es"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "formation"

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    # The hours actually taught when they differ from the span (a lunch break).
    hours = models.DecimalField(
        "durée effective (heures)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "séance de formation"
        verbose_name_plural = "séances de formation"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            )
        ]

    @property
    def duration_label(self) -> str:
        return hours_label(self.duration_hours)

    @property
    def duration_hours(self) -> Decimal:
        if self.hours is not None:
            return Decimal(self.hours)
        span: timedelta = self.ends_at - self.starts_at
        return (Decimal(int(span.total_seconds())) / Decimal(3600)).quantize(Decimal("0.01"))


class EventKind(models.TextChoices):
    TRAINING = "training", "Formation"
    WEBINAR = "webinar", "Webinaire"
    MEETING = "meeting", "Réunion"
    OTHER = "other", "Autre événement"


class Event(models.Model):
    """An upcoming training or event of a CPTS, or of a region (no CPTS, a region
    code). Public only when the organiser says so; otherwise shown to the signed-in
    professionals of the CPTS (or of the region's CPTS)."""

    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="CPTS",
    )
    region_code = models.CharField("code région", max_length=3, blank=True)
    kind = models.CharField("type", max_length=10, choices=EventKind.choices, default="other")
    title = models.CharField("intitulé", max_length=200)
    organiser = models.CharField("organisateur", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=200, blank=True)
    remote = models.BooleanField("en distanciel", default=False)
    url = models.URLField("lien (inscription, visioconférence)", blank=True)
    description = models.TextField("description", blank=True)
    is_public = models.BooleanField(
        "public",
        default=False,
        help_text="Seulement si l'organisateur le rend public : l'événement paraît alors sur "
        "l'agenda public et dans son flux iCalendar.",
    )
    # The event's UID in the iCalendar feeds: never changes, so a calendar that
    # subscribed updates the event instead of adding a copy.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "événement"
        indexes = [models.Index(fields=["is_public", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_it_starts"
            ),
            # A CPTS event has no region code; a regional event has one.
            models.CheckConstraint(
                condition=(Q(cpts__isnull=False) & Q(region_code=""))
                | (Q(cpts__isnull=True) & ~Q(region_code="")),
                name="event_of_a_cpts_or_of_a_region",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        if self.remote and self.place:
            return f"En distanciel et à {self.place}"
        if self.remote:
            return "En distanciel"
        return self.place
