"""The staff site's yes/no icons, with their alt text in the reader's language."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext

ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(value):
    """Django's own icon; the alt text says yes, no or unknown (Django's own words)."""
    words = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), words[value]
    )
