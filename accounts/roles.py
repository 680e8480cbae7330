"""The roles a person holds, where each one lands, and elder mode.

Roles are not stored: they follow from what the person has (an elder
profile, a verified proxy link, a volunteer profile, an organisation they
coordinate, staff rights), so a revoked link or a new profile counts at
once. What is stored on the person is only their own choice: which role
to land as when they hold several, and whether pages are in elder mode.
"""

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import (
    ProxyAuthorisation,
    Role,
    ServiceOrganisation,
    User,
    VerificationStatus,
)
from accounts.services import PeopleError

# Set before login (on the login page) and saved to the person when they log in.
ELDER_MODE_COOKIE = "elder_mode"
ELDER_SIDE = [Role.ELDER, Role.PROXY]


def roles_of(user):
    """The roles `user` holds now, in `Role` order; none for a newcomer."""
    if not user.is_authenticated:
        return []
    held = {
        Role.ELDER: hasattr(user, "elder_profile"),
        Role.PROXY: ProxyAuthorisation.objects.filter(
            proxy=user, status=VerificationStatus.VERIFIED
        ).exists(),
        Role.VOLUNTEER: hasattr(user, "volunteer_profile"),
        Role.COORDINATOR: ServiceOrganisation.objects.filter(coordinator=user).exists(),
        Role.STAFF: user.is_staff,
    }
    return [role for role in Role if held[role]]


def landing_role(user, roles=None):
    """The role `user` lands as: their only one, or the one they chose among several
    (in elder mode, among the elder's side's roles if they hold any).

    None when they hold none, or several and have not chosen yet (or chose a
    role they no longer hold).
    """
    roles = roles_of(user) if roles is None else roles
    if user.elder_mode:
        # Elder mode shows only the elder's tasks, so it starts on the elder's side.
        roles = [role for role in roles if role in ELDER_SIDE] or roles
    if len(roles) == 1:
        return roles[0]
    return user.landing_role if user.landing_role in roles else None


@transaction.atomic
def choose_landing_role(user, role):
    """A person with several roles picks the one they land as; only a role they hold."""
    if role not in roles_of(user):
        raise PeopleError(gettext("You do not have that role."))
    User.objects.filter(pk=user.pk).update(landing_role=role)
    user.landing_role = role


def set_elder_mode(user, on):
    """Large type, high contrast and only the elder's tasks, for this person from now on."""
    User.objects.filter(pk=user.pk).update(elder_mode=on)
    user.elder_mode = on
