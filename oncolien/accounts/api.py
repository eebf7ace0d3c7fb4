from ninja import Router, Schema

from oncolien.accounts.two_factor import confirmed_device

router = Router(tags=["comptes"])


class MembershipOut(Schema):
    role: str
    role_label: str
    cpts: str | None
    cpts_slug: str | None


class MeOut(Schema):
    username: str
    full_name: str
    two_factor_enabled: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    """Le compte connecté, ses rôles et ses CPTS."""
    user = request.auth
    memberships = user.memberships.select_related("cpts").order_by("cpts__name", "role")
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "two_factor_enabled": confirmed_device(user) is not None,
        "memberships": [
            {
                "role": m.role,
                "role_label": m.get_role_display(),
                "cpts": m.cpts.name if m.cpts_id else None,
                "cpts_slug": m.cpts.slug if m.cpts_id else None,
            }
            for m in memberships
        ],
    }
