"""Users, their roles and the CPTS they belong to."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinateur·rice de CPTS"
    COORDINATING_NURSE = "coordinating_nurse", "Infirmier·ère de coordination (IDEC)"
    COMMUNITY_NURSE = "community_nurse", "Infirmier·ère libéral·e (IDEL)"
    PHYSICIAN = "physician", "Médecin"
    PROVIDER = "provider", "Professionnel·le de soins de support"
    REGIONAL = "regional", "Équipe régionale (Guichet CPTS, DSRC, ARS)"
    ADMINISTRATOR = "administrator", "Administrateur·rice"


# Roles that act for one CPTS and so need one; the others act across CPTS.
CPTS_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.COORDINATING_NURSE,
        Role.COMMUNITY_NURSE,
        Role.PHYSICIAN,
        Role.PROVIDER,
    }
)
# Roles that will see nominative patient data: two-factor authentication is
# required for them when settings.ONCOLIEN_REQUIRE_2FA is on. Regional staff only
# ever see aggregates.
PATIENT_DATA_ROLES = CPTS_ROLES | {Role.ADMINISTRATOR}


class User(AbstractUser):
    phone = models.CharField("téléphone", max_length=20, blank=True)
    rpps = models.CharField("RPPS", max_length=11, blank=True)

    class Meta:
        verbose_name = "utilisateur·rice"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def roles(self) -> set[str]:
        return set(self.memberships.values_list("role", flat=True))


class Membership(models.Model):
    """A user's role, in one CPTS for the CPTS roles, or across CPTS for the others."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="CPTS",
    )
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rattachement"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cpts", "role"], name="unique_membership_per_cpts_and_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(cpts__isnull=True),
                name="unique_membership_without_cpts",
            ),
            # A CPTS role always names its CPTS; regional and administrator roles never do.
            models.CheckConstraint(
                condition=(Q(role__in=sorted(CPTS_ROLES)) & Q(cpts__isnull=False))
                | (~Q(role__in=sorted(CPTS_ROLES)) & Q(cpts__isnull=True)),
                name="membership_cpts_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.cpts.name if self.cpts is not None else "toutes CPTS"
        return f"{self.user} — {self.get_role_display()} ({where})"
