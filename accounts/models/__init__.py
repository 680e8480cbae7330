"""People, places and the staff who verify them (split by area)."""

from accounts.models.availability import (
    MAX_WINDOWS,
    AvailabilityWindow,
    Weekday,
    available_for,
    is_available,
    served_districts,
    window_refusal,
    within_availability,
)
from accounts.models.links import (
    ProxyAuthorisation,
    ProxyRelation,
    Relation,
    RelativeLink,
    are_direct_relatives,
    may_act_for,
)
from accounts.models.people import (
    ClashKind,
    ElderCategory,
    ElderProfile,
    IdClash,
    RecipientCategory,
    ResidentIdentity,
    VolunteerProfile,
    holds_resident_id,
    scoped_people,
)
from accounts.models.qualifications import Qualification, ServiceOrganisation, is_qualified_for
from accounts.models.regions import Community, District, Street
from accounts.models.staff import (
    AuditLog,
    ScopeLevel,
    StaffScope,
    covers,
    is_city_staff,
    scope_of,
    scoped,
)
from accounts.models.users import Role, TextLimit, TextMessage, TextStatus, User, UserManager
from accounts.models.verification import VerificationStatus
from catalogue.models import localized_name, name_field

__all__ = [
    "MAX_WINDOWS",
    "AuditLog",
    "AvailabilityWindow",
    "ClashKind",
    "Community",
    "District",
    "ElderCategory",
    "ElderProfile",
    "IdClash",
    "ProxyAuthorisation",
    "ProxyRelation",
    "Qualification",
    "RecipientCategory",
    "Relation",
    "ResidentIdentity",
    "Role",
    "RelativeLink",
    "ScopeLevel",
    "ServiceOrganisation",
    "StaffScope",
    "Street",
    "TextLimit",
    "TextMessage",
    "TextStatus",
    "User",
    "UserManager",
    "VerificationStatus",
    "VolunteerProfile",
    "Weekday",
    "available_for",
    "are_direct_relatives",
    "covers",
    "holds_resident_id",
    "is_available",
    "is_city_staff",
    "is_qualified_for",
    "localized_name",
    "name_field",
    "may_act_for",
    "scope_of",
    "scoped",
    "scoped_people",
    "served_districts",
    "window_refusal",
    "within_availability",
]
