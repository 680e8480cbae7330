"""Stars on pages of other apps (the profile) without those apps importing rewards."""

from django import template
from django.utils.translation import ngettext

from rewards.services import star_level_awarded

register = template.Library()


@register.simple_tag
def awarded_stars(user):
    """'★★ 2 stars' once awarded after the public notice; empty before."""
    level = star_level_awarded(user)
    if not level:
        return ""
    label = ngettext("%(level)s star", "%(level)s stars", level) % {"level": level}
    return f"{'★' * level} {label}"
