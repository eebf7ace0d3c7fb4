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
        "dieteticienne.nord-aveyron", "Julie", "Costes", Role.PROVIDER, "cpts-nord-aveyron"
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
    """Create (or leave as they are) the demo accounts and their memberships."""
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
                "email": f"{account.username}@demo.oncolien.invalid",
                "is_staff": account.role == Role.ADMINISTRATOR,
                "is_superuser": account.role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            role=account.role,
            cpts=cpts_by_slug.get(account.cpts_slug) if account.cpts_slug else None,
        )
    return DEMO_ACCOUNTS
