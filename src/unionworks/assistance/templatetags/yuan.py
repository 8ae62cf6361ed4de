"""Money on the assistance pages: yuan to the fen with thousands separators (1,234.50),
written by ``core.money.format_yuan`` as everywhere else."""

from django import template

from unionworks.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return format_yuan(value)
