"""The supportive-care directory: organisations, the services they deliver, where.

The shape follows Open Referral HSDS 3.0 (organization, service, location,
service_at_location) so that the standard's API is a projection, not a
translation. Every change is kept by django-simple-history (who, when, the
values before and after); writes go through `directory.services`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# An entry not verified for this long shows "à vérifier".
VERIFICATION_MAX_AGE = timedelta(days=365)


class OrganizationKind(models.TextChoices):
    HEALTH_ESTABLISHMENT = "health_establishment", "Établissement de santé (hôpital, clinique)"
    ASSOCIATION = "association", "Association"
    SELF_EMPLOYED = "self_employed", "Professionnel·le libéral·e"
    MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
    HEALTH_CENTRE = "health_centre", "Centre de santé"
    CPTS = "cpts", "CPTS"
    SPORT_HEALTH = "sport_health", "Structure sport-santé"
    PUBLIC_SERVICE = "public_service", "Service public ou social (CCAS, CPAM…)"
    OTHER = "other", "Autre structure"


class Access(models.TextChoices):
    DIRECT = "direct", "Accès direct"
    REFERRAL = "referral", "Sur orientation d'un professionnel"
    PRESCRIPTION = "prescription", "Sur prescription médicale"


class Cost(models.TextChoices):
    FREE = "free", "Gratuit"
    REIMBURSED = "reimbursed", "Remboursé par l'Assurance Maladie"
    ASSOCIATION_FUNDED = "association_funded", "Financé par une association"
    REMAINING_COST = "remaining_cost", "Reste à charge"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


class Label(models.Model):
    """A label a service may hold, e.g. labelled for the post-cancer programme."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField("nom", max_length=150)
    description = models.TextField("description", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "label"

    def __str__(self) -> str:
        return self.name


POST_CANCER_PROGRAMME_LABEL = "post_cancer_programme"


class Organization(models.Model):
    # The CPTS whose coordinators curate this entry (its place in a directory),
    # which may differ from the commune of its address (a hospital in Rodez is
    # listed by the CPTS Nord Aveyron).
    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name="CPTS",
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de structure", max_length=32, choices=OrganizationKind.choices)
    description = models.TextField("présentation", blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    finess = models.CharField("FINESS", max_length=9, blank=True)
    rpps = models.CharField("RPPS", max_length=11, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    website = models.URLField("site web", blank=True)
    # Demo entries carry invented contacts and say so on every page.
    is_fictitious = models.BooleanField("contacts fictifs (démonstration)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(verbose_name="historique de la structure")

    class Meta:
        ordering = ["name"]
        verbose_name = "structure"
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "name"], name="unique_organization_name_per_cpts"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations", verbose_name="structure"
    )
    name = models.CharField("nom du lieu", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    # From the commune's centroid unless given (coordinates_given).
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    coordinates_given = models.BooleanField("coordonnées saisies", default=False)
    accessibility = models.TextField("accessibilité", blank=True)
    opening_hours = models.TextField("horaires", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("courriel", blank=True)
    history = HistoricalRecords(verbose_name="historique du lieu")

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = "lieu"

    def __str__(self) -> str:
        return self.name or f"{self.organization.name} — {self.commune.name}"


class Service(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services", verbose_name="structure"
    )
    name = models.CharField("nom de l'offre", max_length=200)
    description = models.TextField("description", blank=True)
    care_types = models.ManyToManyField(
        "reference.CareType", related_name="services", verbose_name="soins de support"
    )
    professions = models.ManyToManyField(
        "reference.Profession",
        related_name="services",
        blank=True,
        verbose_name="professions qui dispensent",
    )
    for_patients = models.BooleanField("pour les patients", default=True)
    for_relatives = models.BooleanField("pour les proches et aidants", default=False)
    phase_diagnosis = models.BooleanField("phase diagnostique", default=True)
    phase_treatment = models.BooleanField("pendant le traitement", default=True)
    phase_after_treatment = models.BooleanField("après le traitement", default=True)
    access = models.CharField("accès", max_length=16, choices=Access.choices, default=Access.DIRECT)
    cost = models.CharField("coût", max_length=24, choices=Cost.choices)
    remaining_cost_amount = models.DecimalField(
        "reste à charge (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    cost_details = models.CharField("précisions sur le coût", max_length=250, blank=True)
    labels = models.ManyToManyField(
        Label, related_name="services", blank=True, verbose_name="labels"
    )
    is_home_service = models.BooleanField("à domicile", default=False)
    communes_served = models.ManyToManyField(
        "territories.Commune",
        related_name="+",
        blank=True,
        verbose_name="communes desservies (à domicile)",
    )
    # Annotated: the through model is named by a string, which mypy cannot follow.
    locations: "models.ManyToManyField[Location, ServiceAtLocation]" = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    url = models.URLField("page web", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    last_verified_on = models.DateField("vérifiée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        verbose_name="historique de l'offre",
        m2m_fields=[care_types, professions, labels, communes_served],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "offre"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="unique_service_name_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(cost="remaining_cost", remaining_cost_amount__isnull=False)
                | ~models.Q(cost="remaining_cost"),
                name="remaining_cost_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.organization.name}"

    def get_absolute_url(self) -> str:
        return reverse("directory:service_detail", kwargs={"pk": self.pk})

    @property
    def needs_verification(self) -> bool:
        """'À vérifier': never verified, or last verified more than a year ago."""
        if self.last_verified_on is None:
            return True
        return timezone.localdate() - self.last_verified_on > VERIFICATION_MAX_AGE


class ServiceAtLocation(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        verbose_name = "offre en un lieu"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="unique_service_at_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service.name} @ {self.location}"


class ContributionKind(models.TextChoices):
    NEW = "new", "Nouvelle offre"
    CORRECTION = "correction", "Correction d'une offre"


class ContributionStatus(models.TextChoices):
    PENDING = "pending", "En attente de modération"
    ACCEPTED = "accepted", "Acceptée"
    REJECTED = "rejected", "Refusée"


class Contribution(models.Model):
    """A proposal from anyone (patients included); nothing is public before a coordinator decides."""

    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions"
    )
    proposal = models.JSONField("proposition", default=dict)
    message = models.TextField("message", blank=True)
    contributor_name = models.CharField("nom", max_length=150, blank=True)
    contributor_email = models.EmailField("courriel", blank=True)
    # A keyed hash of the sender's address: enough to rate-limit, not to identify.
    sender_fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.PENDING
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    resulting_service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "contribution"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class PrintedEdition(models.Model):
    """The printable directory of one CPTS as last rendered by the task queue, kept so
    that a public download is served at once instead of rendered in the request.

    `fingerprint` names the state of the directory the file was made from (see
    `printing.directory_fingerprint`); a file whose fingerprint or date is behind is
    still served, with its own date, while the next edition is rendered."""

    cpts = models.OneToOneField(
        "territories.Cpts",
        on_delete=models.CASCADE,
        related_name="printed_edition",
        verbose_name="CPTS",
    )
    content = models.BinaryField("fichier PDF", default=b"", editable=False)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    page_count = models.PositiveIntegerField("pages", default=0)
    edited_on = models.DateField("édition du", null=True, blank=True)
    rendered_at = models.DateTimeField("rendu le", null=True, blank=True)
    render_seconds = models.FloatField("durée du rendu (s)", null=True, blank=True)
    fingerprint = models.CharField(max_length=100, blank=True)
    # Set when a render is queued, cleared when it is over: one render at a time.
    queued_at = models.DateTimeField("rendu demandé le", null=True, blank=True)
    error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "édition imprimable de l'annuaire"
        verbose_name_plural = "éditions imprimables de l'annuaire"

    def __str__(self) -> str:
        return f"Édition imprimable — {self.cpts_id} ({self.edited_on or 'en préparation'})"

    @property
    def is_ready(self) -> bool:
        return bool(self.content)


from oncolien.directory.search import models as search_models  # noqa: E402, F401
