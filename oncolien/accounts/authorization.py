"""The one authorisation check of OncoLien.

Every view, API endpoint or service that reads or changes patient data (or any
other protected object) calls `authorize(user, permission, obj)`, and every list
of protected objects is `visible(user, permission, queryset)`. Both read the same
table: a permission name maps to a `Rule` — the roles that hold it within the
object's CPTS, the roles that hold it everywhere, and an optional extra grant
(e.g. "is on the pathway's care team") written once, as a query, that apps
register with `register_permission`. So a list can never show what a check
would refuse, nor hide what it would allow. A refusal raises `AccessDenied` and
is written to the audit trail.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet

from oncolien.accounts.models import PATIENT_DATA_ROLES, Membership, Role, User
from oncolien.audit.pending import record_refusal

if TYPE_CHECKING:
    pass

AnyUser = User | AnonymousUser
M = TypeVar("M", bound=models.Model)

# A filter that matches no row (Django answers it without a query).
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Rule:
    """Who holds a permission, on objects of one model.

    - `cpts_roles`: roles that hold it within the CPTS of the object (or in any
      CPTS when the permission has no object);
    - `global_roles`: roles that hold it whatever the CPTS (administrator, regional);
    - `grant`: an extra grant, e.g. care-team membership, as a filter on the
      object's model built for a user; checked after the roles;
    - `cpts_path`: the lookup from the object to its CPTS ("pk" when the object
      is the CPTS itself);
    - `model`: "app_label.model" of the objects, checked by `visible`.
    """

    cpts_roles: frozenset[str] = frozenset()
    global_roles: frozenset[str] = frozenset()
    grant: Callable[[User], Q] | None = None
    cpts_path: str = "cpts"
    model: str = ""
    patient_data: bool = False
    description: str = ""

    def scope(self, user: AnyUser) -> Q:
        """The objects this rule lets `user` see, as a filter on the rule's model."""
        if not _may_act(user, self):
            return NOTHING
        assert isinstance(user, User)
        memberships = memberships_of(user)
        if any(m.role in self.global_roles for m in memberships):
            return Q()
        # A membership without CPTS grants no CPTS scope (an `__in` with NULL matches nothing).
        cpts_ids = sorted(
            {m.cpts_id for m in memberships if m.role in self.cpts_roles and m.cpts_id is not None}
        )
        scope = Q(**{f"{self.cpts_path}__in": cpts_ids}) if cpts_ids else NOTHING
        if self.grant is not None:
            scope |= self.grant(user)
        only = _only_cpts(user)
        if only is not None and self.model:
            scope &= Q(**{f"{self.cpts_path}__in": [only]})
        return scope


PERMISSIONS: dict[str, Rule] = {
    "cpts.members.view": Rule(
        cpts_roles=frozenset({Role.COORDINATOR}),
        global_roles=frozenset({Role.ADMINISTRATOR}),
        cpts_path="pk",
        model="territories.cpts",
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
    """A refused access. Its audit entry is already written, or kept for the edge
    that serves the request once the transaction is over (`audit.pending`): whoever
    catches it has nothing to write."""


def rule_for(permission: str) -> Rule:
    rule = PERMISSIONS.get(permission)
    if rule is None:
        raise KeyError(f"Permission inconnue : {permission}")
    return rule


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, cached on the user object for the request: many
    checks, one query."""
    cached: list[Membership] | None = getattr(user, "_oncolien_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._oncolien_memberships = cached  # type: ignore[attr-defined]  # a per-request cache
    return cached


def restrict_to_cpts(user: User, cpts_id: int) -> None:
    """Limit `user`, for this request, to one CPTS (that of a personal API token):
    `authorize` and `visible` read only the memberships in that CPTS, and an extra
    grant (such as care-team membership) reaches only that CPTS's objects."""
    user._oncolien_memberships = list(  # type: ignore[attr-defined]  # the per-request cache
        Membership.objects.filter(user=user, cpts_id=cpts_id)
    )
    user._oncolien_only_cpts = cpts_id  # type: ignore[attr-defined]


def _only_cpts(user: User) -> int | None:
    only: int | None = getattr(user, "_oncolien_only_cpts", None)
    return only


def two_factor_satisfied(user: User) -> bool:
    """False when 2FA is required for this user's roles and the session is not verified."""
    if not settings.ONCOLIEN_REQUIRE_2FA:
        return True
    roles = {m.role for m in memberships_of(user)}
    if not roles & PATIENT_DATA_ROLES:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def _cpts_id_of(obj: object, rule: Rule) -> object:
    """The id of the CPTS an object belongs to, by the rule's `cpts_path` (the same
    lookup `visible` filters on); None when it has none."""
    if rule.model:
        label = obj._meta.label_lower if isinstance(obj, models.Model) else type(obj).__name__
        if label != rule.model:
            raise ValueError(f"Cette permission porte sur {rule.model}, pas sur {label}.")
    if rule.cpts_path == "pk":
        return getattr(obj, "pk", None)
    *hops, last = rule.cpts_path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _may_act(user: AnyUser | None, rule: Rule) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)
    return not (rule.patient_data and not two_factor_satisfied(user))


def is_allowed(user: AnyUser | None, permission: str, obj: object = None) -> bool:
    """The decision alone, with no audit: for showing or hiding a link."""
    rule = rule_for(permission)
    if not _may_act(user, rule):
        return False
    assert isinstance(user, User)
    only = _only_cpts(user)
    if only is not None and obj is not None and _cpts_id_of(obj, rule) != only:
        return False
    memberships = memberships_of(user)
    if any(m.role in rule.global_roles for m in memberships):
        return True
    if obj is None:
        # A permission with no object: the CPTS roles hold it in any of their CPTS.
        if any(m.role in rule.cpts_roles for m in memberships):
            return True
    else:
        cpts_id = _cpts_id_of(obj, rule)
        if cpts_id is not None and any(
            m.role in rule.cpts_roles and m.cpts_id == cpts_id for m in memberships
        ):
            return True
    if rule.grant is None or not isinstance(obj, models.Model) or obj.pk is None:
        return False
    return _granted(user, rule, obj)


# The grant decisions of the request being served, while it changes nothing (see
# `grant_decisions_kept`); None elsewhere.
_kept_decisions: ContextVar[dict[tuple[object, ...], bool] | None] = ContextVar(
    "oncolien_grant_decisions", default=None
)


@contextmanager
def grant_decisions_kept() -> Iterator[None]:
    """Within this block each grant question (is this user on this pathway's care team?)
    goes to the database once: the parts of a page (the pathway, each app's panel) check
    the same access on the same object, 4 queries for 1 on a nurse's pathway page.

    Only around requests that change nothing (GET, HEAD:
    `accounts.middleware.KeepGrantDecisionsMiddleware`): across a write, a care team
    may change between two checks, so a request that writes, a task or a command asks
    each time."""
    token = _kept_decisions.set({})
    try:
        yield
    finally:
        _kept_decisions.reset(token)


def _granted(user: User, rule: Rule, obj: models.Model) -> bool:
    # The grant is a query: asking it about this one object keeps the check and
    # the lists (`visible`) the same rule.
    kept = _kept_decisions.get()
    key = (rule.grant, user.pk, _only_cpts(user), obj._meta.label_lower, obj.pk)
    if kept is not None and key in kept:
        return kept[key]
    assert rule.grant is not None
    granted = type(obj)._default_manager.filter(pk=obj.pk).filter(rule.grant(user)).exists()
    if kept is not None:
        kept[key] = granted
    return granted


def visible(user: AnyUser | None, permission: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The objects of `queryset` that `permission` lets `user` see, in SQL.

    The one way to list protected objects: the filter comes from the same rule as
    `authorize`, so a list shows exactly what a check on each object would allow.
    """
    rule = rule_for(permission)
    if rule.model and queryset.model._meta.label_lower != rule.model:
        raise ValueError(
            f"La permission {permission!r} porte sur {rule.model}, "
            f"pas sur {queryset.model._meta.label_lower}."
        )
    if user is None:
        return queryset.none()
    return queryset.filter(rule.scope(user))


def authorize(user: AnyUser | None, permission: str, obj: Any = None) -> None:
    """Allow, or raise AccessDenied after writing the refusal to the audit trail."""
    if is_allowed(user, permission, obj):
        return
    entry = {
        "actor": user,
        "action": "access.denied",
        "target": obj,
        "details": {"permission": permission},
    }
    record_refusal(entry)
    raise AccessDenied("Accès refusé.")
