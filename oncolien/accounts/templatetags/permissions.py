"""`{% allowed "permission" obj as name %}`: whether the viewer holds a permission, for
showing a link only to those who may open it. The same decision as `authorize`
(`accounts.authorization.is_allowed`), with no audit entry: hiding a link is not a
refusal."""

from typing import Any

from django import template

from oncolien.accounts.authorization import is_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: template.Context, permission: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return is_allowed(user, permission, obj)
