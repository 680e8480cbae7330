from django import template

from series.models import Occurrence

register = template.Library()


@register.simple_tag
def series_of(order):
    """The standing order an order is a visit of, or None."""
    occurrence = Occurrence.objects.filter(order=order).select_related("series").first()
    return occurrence.series if occurrence else None
