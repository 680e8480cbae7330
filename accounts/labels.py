"""What staff read for the codes the database keeps: audit actions, kinds of
record and permissions, in the reader's language.

The codes stay as they are, so that staff can still search by them; a page
shows these names instead. An audit action is `<model>.<what happened>`
(`accounts.audit.record`): the model's own name, then either a word below or
the label of the status the record moved to (`accounts.status.move`).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Models of other packages whose Meta names them in English only: our names
# for them (`name_package_models`).
PACKAGE_MODEL_NAMES = {
    "mfa.authenticator": (_("authenticator"), _("authenticators")),
}

# What happened, for the actions that are not a move to a status of the same name.
ACTION_WORDS = {
    "added": pgettext_lazy("audit action", "added"),
    "changed": pgettext_lazy("audit action", "changed"),
    "deleted": pgettext_lazy("audit action", "deleted"),
    "viewed": pgettext_lazy("audit action", "personal data viewed"),
    "registered": pgettext_lazy("audit action", "registered"),
    "requested": pgettext_lazy("audit action", "requested"),
    "confirmed": pgettext_lazy("audit action", "confirmed"),
    "approved": pgettext_lazy("audit action", "approved"),
    "rejected": pgettext_lazy("audit action", "rejected"),
    "settled": pgettext_lazy("audit action", "settled"),
    "reversed": pgettext_lazy("audit action", "reversed"),
    "proposed": pgettext_lazy("audit action", "proposed"),
    "stock_added": pgettext_lazy("audit action", "stock added"),
    "password_changed": pgettext_lazy("audit action", "password set"),
    "uploaded": pgettext_lazy("audit action", "uploaded"),
    "not_again": pgettext_lazy("audit action", "volunteer not to come again"),
    "not_again_withdrawn": pgettext_lazy("audit action", "volunteer welcome again"),
    "volunteer_dropped": pgettext_lazy("audit action", "regular volunteer removed"),
    "imported": pgettext_lazy("audit action", "brought in by a city system"),
    "key_reissued": pgettext_lazy("audit action", "new key issued"),
    "key_revoked": pgettext_lazy("audit action", "revoked"),
}

PERMISSION_WORDS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def name_package_models():
    """Name the models of `PACKAGE_MODEL_NAMES` in the reader's language, wherever they show.

    Django's admin reads a model's names for its titles, counts, actions,
    breadcrumbs and permission lists. Only these two names change: the
    migrations compare what the package's own `Meta` says
    (`Options.original_attrs`), which stays as it was, and the permissions'
    stored names come from the English of the same words.
    """
    for label, (singular, plural) in PACKAGE_MODEL_NAMES.items():
        opts = apps.get_model(label)._meta
        opts.verbose_name, opts.verbose_name_plural = singular, plural


def _model_called(name):
    """The model an action code starts with (`order` in `order.approved`)."""
    return next((m for m in apps.get_models() if m._meta.model_name == name), None)


def record_label(target_type):
    """`orders.order` as "Order"; a code no model answers to stays as it is."""
    try:
        return capfirst(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def action_label(action):
    """`order.approved` as "Order: approved"; a code this site cannot word stays as it is."""
    model_code, _dot, what = action.partition(".")
    model = _model_called(model_code)
    if model is None:
        return action
    word = ACTION_WORDS.get(what) or _status_label(model, what)
    if word is None:
        return action
    return gettext("%(record)s: %(action)s") % {
        "record": capfirst(model._meta.verbose_name),
        "action": word,
    }


def _status_label(model, status):
    try:
        choices = dict(model._meta.get_field("status").flatchoices)
    except FieldDoesNotExist:
        return None
    return choices.get(status)


def permission_label(permission):
    """Django stores "Can add order" in English once; staff read it in their language."""
    model = permission.content_type.model_class()
    action, _underscore, model_code = permission.codename.partition("_")
    if model is None or action not in PERMISSION_WORDS or model_code != model._meta.model_name:
        return str(permission)
    words = PERMISSION_WORDS[action] % {"model": model._meta.verbose_name}
    return f"{capfirst(model._meta.app_config.verbose_name)} | {words}"
