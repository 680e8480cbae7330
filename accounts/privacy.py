"""What a person can take away: everything we hold about them (PIPL art. 45).

The rows are found from the models themselves, so a new model is exported
the day it is added:

- a row is *theirs* when one of its `SUBJECT_LINKS` points at them, or when
  it points at something of theirs that is theirs alone (a one-to-one subject
  link: their elder or volunteer profile, their wallet); it is exported
  field by field;
- a row that names them only as the one who acted (`ACTOR_LINKS`: decided,
  registered, recorded) is about someone else: it is listed by model and id.

Other people appear by masked name only. Every value goes through
`export_value`, which refuses a field type it does not know, and every link
to a user must be in one of the two sets: a test checks both for every model.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

APPS = {"catalogue", "accounts", "api", "credits", "notifications", "orders", "rewards", "series"}
# Fields that make a row about the person they point at.
SUBJECT_LINKS = {
    "account",
    "attempted_by",
    "coordinator",
    "holder",
    "members",
    "on_behalf_of",
    "owner",
    "person",
    "placed_by",
    "proxy",
    "raised_by",
    "recipient",
    "relative",
    "requester",
    "user",
    "volunteer",
}
# Fields that record who acted on someone else's row.
ACTOR_LINKS = {
    "actor",
    "closed_by",
    "created_by",
    "decided_by",
    "proposed_by",
    "received_by",
    "registered_by",
    "resolved_by",
    "revoked_by",
    "uploaded_by",
    "marked_by",
    "reviewed_by",
}
# Links that point at someone the row is kept from: an elder's private "not
# this volunteer again" is the elder's, never a list the volunteer can read;
# an order offered to a volunteer is not theirs (nor its address) until claimed.
KEPT_FROM = {"orders.NotAgain": {"volunteer"}, "orders.Order": {"offered_to"}}
NEVER_EXPORTED = {"password"}


def _text(value):
    return str(value)


def _same(value):
    return value


def _iso(value):
    return value.isoformat()


def _file(value):
    return value.name or None


# How each kind of model field is written out; a kind missing here is refused.
EXPORTERS = {
    "AutoField": _same,
    "BigAutoField": _same,
    "BooleanField": _same,
    "CharField": _same,
    "DateField": _iso,
    "DateTimeField": _iso,
    "DecimalField": _text,
    "FileField": _file,
    "GenericIPAddressField": _same,
    "ImageField": _file,
    "IntegerField": _same,
    "JSONField": _same,
    "PositiveBigIntegerField": _same,
    "PositiveIntegerField": _same,
    "PositiveSmallIntegerField": _same,
    "SlugField": _same,
    "SmallIntegerField": _same,
    "TextField": _same,
    "TimeField": _iso,
    "UUIDField": _text,
}


def user_links(model):
    """The fields of `model` that point at a person."""
    user_model = get_user_model()
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field for field in fields if field.is_relation and field.related_model is user_model]


def linked_models():
    """Every project model with a link to a person."""
    return [
        model for model in apps.get_models() if model._meta.app_label in APPS and user_links(model)
    ]


def _label(obj, user):
    """Another row or person as the person may see it: themselves in full, others masked."""
    if obj == user:
        return str(user)
    return obj.public_name if isinstance(obj, get_user_model()) else str(obj)


def export_value(obj, field, user):
    """One field of one row as JSON; TypeError for a kind of field not in `EXPORTERS`."""
    if field.many_to_many:
        return [_label(related, user) for related in getattr(obj, field.name).all()]
    if field.is_relation:
        related = getattr(obj, field.name)
        return None if related is None else _label(related, user)
    kind = field.get_internal_type()
    if kind not in EXPORTERS:
        raise TypeError(f"{field.model._meta.label}.{field.name} ({kind}) cannot be exported.")
    value = field.value_from_object(obj)
    return None if value is None else EXPORTERS[kind](value)


def export_row(obj, user):
    fields = [*obj._meta.concrete_fields, *obj._meta.many_to_many]
    return {
        field.name: export_value(obj, field, user)
        for field in fields
        if field.name not in NEVER_EXPORTED
    }


def _theirs(model, user, owned):
    """The rows of `model` about `user`: linked to them, or to something theirs alone."""
    condition = Q()
    kept_from = KEPT_FROM.get(model._meta.label, set())
    for field in user_links(model):
        if field.name in SUBJECT_LINKS and field.name not in kept_from:
            condition |= Q(**{field.name: user})
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model in owned:
            condition |= Q(**{f"{field.name}__in": owned[field.related_model]})
    return model.objects.filter(condition).distinct() if condition else model.objects.none()


def _owned_alone(user):
    """Rows that belong to `user` one to one (their profiles, their wallet), by model."""
    owned = {}
    for model in linked_models():
        for field in user_links(model):
            if field.one_to_one and field.name in SUBJECT_LINKS:
                owned[model] = model.objects.filter(**{field.name: user})
    return owned


def personal_data(user):
    """A JSON-able dict of everything held about `user`."""
    owned = _owned_alone(user)
    records = {}
    acted = []
    for model in sorted(apps.get_models(), key=lambda model: model._meta.label):
        if model._meta.app_label not in APPS or model is get_user_model():
            continue
        rows = [export_row(obj, user) for obj in _theirs(model, user, owned)]
        if rows:
            records[model._meta.label] = rows
        for field in user_links(model):
            if field.name in ACTOR_LINKS:
                acted += [
                    {"record": model._meta.label, "id": pk, "as": field.name}
                    for pk in model.objects.filter(**{field.name: user}).values_list(
                        "pk", flat=True
                    )
                ]
    return {"account": export_row(user, user), "records": records, "acted_on": acted}


def holds_anything(user):
    """Whether any record but the text outbox (which keeps its rows) links to `user`."""
    return any(
        model.objects.filter(**{field.name: user}).exists()
        for model in linked_models()
        for field in user_links(model)
        if field.many_to_many or field.remote_field.on_delete is not models.SET_NULL
    )
