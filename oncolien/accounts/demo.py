"""Demo accounts, one per role, for the demonstration territory.

The password is generated once per installation into var/ (never a fixed,
well-known password) and printed by `setup_demo`.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from oncolien.accounts.models import Membership, Role, User
from oncolien.territories.models import Cpts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    cpts_slug: str | None
    # The provider acts for the directory structure whose e-mail is his account's
    # (`referrals.access`): the demo provider uses the one of a demo structure.
    email: str = ""

    @property
    def default_email(self) -> str:
        return f"{self.username}@demo.oncolien.invalid"


DEMO_ACCOUNTS = [
    DemoAccount(
        "coordination.nord-aveyron", "Claire", "Delmas", Role.COORDINATOR, "cpts-nord-aveyron"
    ),
    DemoAccount(
        "idec.nord-aveyron", "Nathalie", "Bousquet", Role.COORDINATING_NURSE, "cpts-nord-aveyron"
    ),
    DemoAccount("idel.nord-aveyron", "Sophie", "Rigal", Role.COMMUNITY_NURSE, "cpts-nord-aveyron"),
    DemoAccount(
        "medecin.nord-aveyron", "Pierre", "Vayssettes", Role.PHYSICIAN, "cpts-nord-aveyron"
    ),
    DemoAccount(
        "dieteticienne.nord-aveyron",
        "Julie",
        "Costes",
        Role.PROVIDER,
        "cpts-nord-aveyron",
        # "Cabinet de diététique de la vallée du Lot" in directory/data/demo_directory.json.
        email="cabinet@dietetique-vallee-lot-demo.exemple.invalid",
    ),
    DemoAccount("coordination.sud-tarn", "Marc", "Escande", Role.COORDINATOR, "cpts-sud-tarn"),
    DemoAccount("regional.occitanie", "Inès", "Carrère", Role.REGIONAL, None),
    DemoAccount("admin.oncolien", "Alex", "Martin", Role.ADMINISTRATOR, None),
]


def demo_password() -> str:
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def load_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts and their memberships that are missing; an existing
    account is left as it is (its password, names and e-mail may have been changed)."""
    password = demo_password()
    cpts_by_slug = {c.slug: c for c in Cpts.objects.filter(is_demo=True)}
    for account in DEMO_ACCOUNTS:
        if account.cpts_slug and account.cpts_slug not in cpts_by_slug:
            raise LookupError(
                f"La CPTS de démonstration « {account.cpts_slug} » n'existe pas : "
                "lancez d'abord « manage.py load_demo_territory »."
            )
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": account.email or account.default_email,
                "is_staff": account.role == Role.ADMINISTRATOR,
                "is_superuser": account.role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        elif account.email and user.email == account.default_email:
            # Created by an earlier version with the generated address: what is missing
            # (the link to the structure) is added; an address a person typed stays.
            user.email = account.email
            user.save(update_fields=["email"])
        Membership.objects.get_or_create(
            user=user,
            role=account.role,
            cpts=cpts_by_slug.get(account.cpts_slug) if account.cpts_slug else None,
        )
    return DEMO_ACCOUNTS
