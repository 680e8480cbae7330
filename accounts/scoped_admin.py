"""The base of every staff admin: what a staff member may pick, change and see.

District and street staff reach only their own area. Scoping the lists is
not enough: a form that accepts any id lets its author link a person of
another district, or tie anyone to their area. So the rules live here once,
and a model admin added tomorrow is safe without knowing them:

- `StaffModelAdmin` (every admin of the site): the choices of every foreign
  key and many-to-many field, raw ids included, are the rows the staff member
  may see of that model in this site, so a posted id from elsewhere is a form
  error, not a save; a row the staff member may not see cannot be changed;
  every add, change and delete writes one audit row.
- `ScopedAdmin` (people's data): rows follow the staff member's scope, area
  choices too; with `area_from` a row's district and street are its
  subject's (the elder's, the person's), never the form's; nobody decides on
  or edits a record of their own.
- `CityDataAdmin` (catalogue, regions, policy, projects): city staff change
  it; everyone else who may open it only reads it.
- `AdministratorsOnly`: for city administrators (superusers) alone: staff
  accounts and scopes, groups, and every admin that is not ours.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import (
    Community,
    District,
    ScopeLevel,
    Street,
    covers,
    is_city_staff,
    scope_of,
    scoped,
)

HIDDEN_VALUE = "***"  # what the audit log keeps of a password


def is_administrator(user):
    """City administrators manage staff accounts; they are the site's superusers."""
    return user.is_active and user.is_staff and user.is_superuser


def area_of(subject):
    """(district id, street id) where `subject` belongs, or None.

    A row with an area has its own; a person has the area of their elder
    profile, else of their volunteer profile.
    """
    if hasattr(subject, "district_id"):
        return subject.district_id, getattr(subject, "street_id", None)
    for profile_name in ("elder_profile", "volunteer_profile"):
        profile = getattr(subject, profile_name, None)
        if profile is not None:
            return profile.district_id, profile.street_id
    return None


def audit_values(obj, names):
    """The named fields of `obj` as JSON-able text, for an audit row (never a password)."""
    values = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field, such as password1
            values[name] = HIDDEN_VALUE if "password" in name else ""
            continue
        if name == "password":
            values[name] = HIDDEN_VALUE
        elif field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        elif field.concrete:
            values[name] = field.value_to_string(obj)
    return values


class ScopedChoices:
    """Foreign keys and many-to-many fields offer, and accept, what the staff member may see."""

    def choices_for(self, request, model):
        related_admin = self.admin_site._registry.get(model)
        if related_admin is None:
            manager = model._default_manager
            return manager.all() if is_administrator(request.user) else manager.none()
        return related_admin.get_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self.choices_for(request, db_field.remote_field.model))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self.choices_for(request, db_field.remote_field.model))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StaffInline(ScopedChoices, admin.StackedInline):
    """An inline of the staff site: the same choices as its parent's form.

    Stacked, so that every field has its own label and the rows fit a phone.
    """


class StaffModelAdmin(ScopedChoices, admin.ModelAdmin):
    """Every admin of the staff site (see the module docstring)."""

    audit_edits = True  # False where a service writes the audit row itself

    def shows(self, request, obj):
        """Is `obj` among the rows this staff member may see here?"""
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.shows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.shows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.shows(request, obj)

    # The audit log: one row for every add, change and delete made here.

    def audit_target(self, obj):
        """What an edit of `obj` is about; a staff scope's edits are about its person."""
        return obj

    def save_model(self, request, obj, form, change):
        obj._audit_fields = list(form.changed_data)
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            obj._audit_before = audit_values(stored, obj._audit_fields)
        super().save_model(request, obj, form, change)

    def audit_action(self, obj, verb, message):
        return f"{self.model._meta.model_name}.{verb}"

    def _audit(self, request, obj, verb, *, message=None, reason=""):
        if not self.audit_edits:
            return
        fields = getattr(obj, "_audit_fields", [])
        audit.record(
            request.user,
            self.audit_action(obj, verb, message),
            self.audit_target(obj),
            reason=reason,
            before=getattr(obj, "_audit_before", {}),
            after=audit_values(obj, fields) if verb != "deleted" else {},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "added", message=message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if message:  # Django logs a form saved unchanged too; the audit log does not
            self._audit(request, obj, "changed", message=message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted", reason=str(obj))
        return super().log_deletions(request, queryset)


class ReadOnly:
    """Rows that change only through actions (services): staff look, never edit."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, StaffInline):
    """Rows listed under their parent that change only through services.

    Without the change permission Django shows every field as text and offers
    no delete box, so `fields` is all an inline needs to say.
    """

    extra = 0


class AdministratorsOnly:
    """Only city administrators open, add, change or delete these."""

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


class CityDataAdmin(StaffModelAdmin):
    """City-wide data: city staff change it, district and street staff read it."""

    def has_add_permission(self, request):
        return is_city_staff(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_city_staff(request.user) and super().has_delete_permission(request, obj)


class AreaForm(forms.ModelForm):
    """Checks that the row's area is the staff member's; with `area_from`, takes it from there."""

    staff = None
    area_from = None
    area_fields = ()

    def clean(self):
        cleaned_data = super().clean()
        if self.area_from in self.fields:
            subject = cleaned_data.get(self.area_from)
            if subject is None:
                return cleaned_data  # the field reports that it is missing
            area = area_of(subject)
            if area is None:
                self.add_error(
                    self.area_from,
                    _("This person has no elder or volunteer profile yet, so no area."),
                )
                return cleaned_data
            for name, value in zip(("district", "street"), area, strict=True):
                if name in self.area_fields:
                    setattr(self.instance, f"{name}_id", value)
        else:
            area = [
                getattr(cleaned_data.get(name), "pk", None)
                if name in self.fields
                else getattr(self.instance, f"{name}_id", None)
                for name in ("district", "street")
            ]
        if area[0] is None:
            return cleaned_data
        street = cleaned_data.get("street") if "street" in self.fields else None
        if street is not None and street.district_id != area[0]:
            self.add_error("street", _("This street is not in the chosen district."))
        elif not covers(self.staff, *area):
            self.add_error(None, _("This is outside the area you manage."))
        return cleaned_data


class ScopedAdmin(StaffModelAdmin):
    """People's data: staff see and change only rows of their district or street.

    `district_field` and `street_field` say where a row's area is (`street_field
    = None`: by district only); `area_from` names the field whose object gives
    a new or changed row its area.
    """

    district_field = "district"
    street_field = "street"
    area_from = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoped(queryset, request.user, self.district_field, self.street_field)

    def _area_fields(self):
        names = {field.name for field in self.model._meta.get_fields()}
        return [name for name in ("district", "street") if name in names]

    def choices_for(self, request, model):
        """Area fields offer only the staff member's own district and street."""
        if model not in (District, Street, Community):
            return super().choices_for(request, model)
        scope = scope_of(request.user)
        if scope is None:
            return model.objects.none()
        if scope.level == ScopeLevel.CITY:
            return model.objects.all()
        in_district, on_street = {
            District: ("pk", None),
            Street: ("district_id", "pk"),
            Community: ("street__district_id", "street_id"),
        }[model]
        if scope.level == ScopeLevel.STREET and on_street:
            return model.objects.filter(**{on_street: scope.street_id})
        return model.objects.filter(**{in_district: scope.district_id})

    def is_own(self, request, obj):
        """Is the staff member a party to `obj` (their own profile, link or request)?"""
        owner_q = getattr(self.model, "owner_q", None)
        if owner_q is not None:
            return self.model._default_manager.filter(owner_q(request.user), pk=obj.pk).exists()
        return getattr(obj, "user_id", None) == request.user.pk

    def keeps_rows(self, request):
        """Rows filed by district only (`street_field = None`) are kept by district staff."""
        scope = scope_of(request.user)
        return not (self.street_field is None and scope and scope.level == ScopeLevel.STREET)

    def has_add_permission(self, request):
        return self.keeps_rows(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_own(request, obj) or not self.keeps_rows(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.is_own(request, obj) or not self.keeps_rows(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """Who a record is about (its raw-id people) is fixed once it exists."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in self.raw_id_fields if name not in fields]
        if self.area_from:
            fields += [name for name in self._area_fields() if name not in fields]
            fields.append("filed_under")
        return fields

    def get_fields(self, request, obj=None):
        """A new row's area is not asked for: the form says where it will be filed."""
        fields = [name for name in super().get_fields(request, obj) if name != "filed_under"]
        if self.area_from and obj is None:
            return [name for name in fields if name not in ("district", "street")] + ["filed_under"]
        return fields

    @admin.display(description=_("district and street"))
    def filed_under(self, obj):
        subject = self.model._meta.get_field(self.area_from).verbose_name
        return _("Those of the %(subject)s, when saved.") % {"subject": subject}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {
            "staff": request.user,
            "area_from": self.area_from,
            "area_fields": self._area_fields(),
        }
        form = type(form.__name__, (AreaForm, form), attrs)
        scope = scope_of(request.user)
        if scope is not None and scope.level == ScopeLevel.STREET and "street" in form.base_fields:
            form.base_fields["street"].required = True  # a street's staff file rows under it
        return form
