"""Users, their roles and the CPTS they belong to."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django_otp.models import Device


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


# django-otp is untyped (ignored by mypy), so the plugin cannot see the reverse
# relation of ProSanteConnectDevice.user, declared by django-otp's Device.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    phone = models.CharField("téléphone", max_length=20, blank=True)
    # The professional's national number: how a log-in through Pro Santé Connect finds
    # the account (oncolien/accounts/psc.py). Empty for those who have none; two
    # accounts never share one. Only the format is enforced: the key is not reliable
    # enough to turn a real professional away (as in the directory).
    rpps = models.CharField(
        "RPPS",
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^\d{11}$", "Le numéro RPPS compte 11 chiffres.")],
        help_text="11 chiffres. Permet la connexion par Pro Santé Connect (e-CPS, carte CPS).",
    )

    class Meta:
        verbose_name = "utilisateur·rice"
        constraints = [
            models.UniqueConstraint(
                fields=["rpps"], condition=~Q(rpps=""), name="unique_user_rpps_when_set"
            ),
        ]

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


class ProSanteConnectDevice(Device):
    """The second factor of a session opened through Pro Santé Connect.

    Pro Santé Connect authenticates with an e-CPS or a CPS card (eIDAS substantial or
    higher), which is the strong authentication our two-factor rule asks for. Logging
    such a session in with django-otp's `login` (as a TOTP code does) makes
    `request.user.is_verified()` true, so every check of the rule — the middleware, the
    API, `authorize` — reads the same flag and none needs to know about PSC. This device
    never accepts a code: it can only be used by the PSC callback.
    """

    class Meta:
        verbose_name = "appareil Pro Santé Connect"

    def verify_token(self, token) -> bool:
        return False
