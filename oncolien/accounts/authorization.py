"""The one authorisation check of OncoLien.

Every view, API endpoint or service that reads or changes patient data (or any
other protected object) calls `authorize(user, permission, obj)`. Permissions
are data: a table from permission name to the roles that hold it, scoped to the
object's CPTS, plus an optional extra grant (e.g. "is on the pathway's care
team") that later apps register with `register_permission`. A refusal raises
`AccessDenied` and is written to the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection

from oncolien.accounts.models import PATIENT_DATA_ROLES, Membership, Role
from oncolien.audit.services import audit_record


@dataclass(frozen=True)
class Rule:
    """Who holds a permission.

    - `cpts_roles`: roles that hold it within the CPTS of the object (or in any
      CPTS when the permission has no object);
    - `global_roles`: roles that hold it whatever the CPTS (administrator, regional);
    - `also`: an extra grant, e.g. care-team membership, checked after the roles.
    """

    cpts_roles: frozenset[str] = frozenset()
    global_roles: frozenset[str] = frozenset()
    also: Callable[[object, object], bool] | None = None
    patient_data: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)


PERMISSIONS: dict[str, Rule] = {
    "cpts.members.view": Rule(
        cpts_roles=frozenset({Role.COORDINATOR}),
        global_roles=frozenset({Role.ADMINISTRATOR}),
        description="Voir les membres d'une CPTS et leurs rôles",
    ),
    "audit.view": Rule(
        global_roles=frozenset({Role.ADMINISTRATOR}),
        description="Consulter le journal d'audit",
    ),
}


def register_permission(name: str, rule: Rule) -> None:
    """Called by apps (in AppConfig.ready) to declare their permissions once."""
    if name in PERMISSIONS and PERMISSIONS[name] != rule:
        raise ValueError(f"Permission {name!r} déclarée deux fois avec des règles différentes.")
    PERMISSIONS[name] = rule


class AccessDenied(PermissionDenied):
    """A refused access. The audit entry is written at once, or, when the refusal
    happens inside a database transaction that will roll back, by the HTTP layer
    once the transaction is over (see `write_pending_audit`)."""

    def __init__(self, message: str, *, pending_audit: dict | None = None):
        super().__init__(message)
        self.pending_audit = pending_audit

    def write_pending_audit(self) -> None:
        if self.pending_audit is not None:
            pending, self.pending_audit = self.pending_audit, None
            audit_record(**pending)


def cpts_of(obj) -> object | None:
    """The CPTS an object belongs to: the object itself, or its `cpts` attribute."""
    from oncolien.territories.models import Cpts

    if obj is None:
        return None
    if isinstance(obj, Cpts):
        return obj
    return getattr(obj, "cpts", None)


def _memberships(user) -> list[Membership]:
    # Cached on the user object for the request: many checks, one query.
    cached = getattr(user, "_oncolien_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._oncolien_memberships = cached
    return cached


def two_factor_satisfied(user) -> bool:
    """False when 2FA is required for this user's roles and the session is not verified."""
    if not settings.ONCOLIEN_REQUIRE_2FA:
        return True
    roles = {m.role for m in _memberships(user)}
    if not roles & PATIENT_DATA_ROLES:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def is_allowed(user, permission: str, obj=None) -> bool:
    """The decision alone, with no audit: for showing or hiding a link."""
    rule = PERMISSIONS.get(permission)
    if rule is None:
        raise KeyError(f"Permission inconnue : {permission}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if rule.patient_data and not two_factor_satisfied(user):
        return False
    memberships = _memberships(user)
    if any(m.role in rule.global_roles for m in memberships):
        return True
    scope = cpts_of(obj)
    for membership in memberships:
        if membership.role in rule.cpts_roles and (
            scope is None or membership.cpts_id == getattr(scope, "pk", None)
        ):
            return True
    return bool(rule.also and rule.also(user, obj))


def _inside_application_transaction() -> bool:
    """True inside an atomic block opened by the application (not by a test case)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def authorize(user, permission: str, obj=None) -> None:
    """Allow, or raise AccessDenied after writing the refusal to the audit trail."""
    if is_allowed(user, permission, obj):
        return
    entry = {
        "actor": user,
        "action": "access.denied",
        "target": obj,
        "details": {"permission": permission},
    }
    if _inside_application_transaction():
        raise AccessDenied("Accès refusé.", pending_audit=entry)
    audit_record(**entry)
    raise AccessDenied("Accès refusé.")
