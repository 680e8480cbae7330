"""Resident ID numbers and places: what every profile checks before it is saved."""

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import ElderProfile, IdClash, ResidentIdentity
from accounts.services.refusals import PeopleError
from accounts.sms import send_text_message


def _clash(user, id_number, kind, *, real_name, district, street=None):
    """Record it when `id_number` is held by another account; return the holder row or None.

    Written in its own transaction, so that the record stays when the caller's
    refusal rolls its own work back.
    """
    holder = ResidentIdentity.objects.filter(number=id_number).exclude(user=user).first()
    if holder is not None:
        IdClash.objects.create(
            holder=holder,
            attempted_by=user,
            kind=kind,
            real_name=real_name,
            district=district,
            street=street,
        )
    return holder


def _refuse_held_number():
    # Whose the number is, and whether it is anyone's, is for station staff to say.
    return PeopleError(
        gettext(
            "This resident ID number cannot be registered to this account. If it is yours, "
            "bring your ID card to a service station and staff will sort it out."
        )
    )


def _tell_holder(holder):
    """A text to the number's holder: someone else entered their resident ID number."""
    profile = ElderProfile.objects.filter(user=holder.user).first()
    phone = holder.user.phone or (profile.phone if profile else "")
    if phone:
        body = gettext(
            "[Time Bank] Someone entered your resident ID number to register an elder. "
            "If it was not you or your family, please tell a service station."
        )
        transaction.on_commit(lambda: send_text_message(phone, body, account=holder.user))


def _entered(fields):
    return {key: fields.get(key) for key in ("real_name", "district", "street")}


def _refuse_unaccepted_review():
    return PeopleError(
        gettext(
            "You changed what staff verified. Tick the box to accept that they check it "
            "again, or undo the change."
        )
    )


def _identity_changed(profile, *, real_name, id_number, photo=None):
    """Name, ID number and photo are what staff verified of a person."""
    return (
        profile.pk is None
        or real_name != profile.real_name
        or id_number != profile.id_number
        or photo is not None
    )


def _check_street(district, street, community=None):
    if street is not None and street.district_id != district.pk:
        raise PeopleError(gettext("The street is not in the chosen district."))
    if community is not None and community.street_id != getattr(street, "pk", None):
        raise PeopleError(gettext("The community is not in the chosen street."))
