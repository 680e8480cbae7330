"""Words the packages we use show on our pages but leave untranslated.

Listed here so that makemessages keeps them in our catalogue, where their
Chinese is; nothing imports this module.
"""

from django.utils.translation import gettext_noop

PACKAGE_WORDS = [
    # The staff site's list of models (Django 5.2 admin/app_list.html).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django-q2's task model, in the staff site's permission lists.
    gettext_noop("Task"),
]
