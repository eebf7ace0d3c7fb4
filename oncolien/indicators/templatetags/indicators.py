from django import template

from oncolien.indicators.dashboard import number

register = template.Library()


@register.filter
def fr_number(value) -> str:
    """« 29 228 », « 2,5 »: numbers as French readers write them."""
    return number(value)
