"""What a person can take away: everything we hold about them (PIPL art. 45)."""

from django.forms.models import model_to_dict

from accounts.models import (
    ElderProfile,
    ProxyAuthorisation,
    Qualification,
    RelativeLink,
    VolunteerProfile,
)

DROP = {"evidence", "decided_by"}


def _row(obj):
    data = {key: value for key, value in model_to_dict(obj).items() if key not in DROP}
    if "status" in data:
        data["status"] = obj.get_status_display()
    return data


def personal_data(user):
    """A JSON-able dict of the person's own records; other people appear by name only."""
    elder = ElderProfile.objects.filter(user=user).first()
    volunteer = VolunteerProfile.objects.filter(user=user).first()
    return {
        "account": {
            "name": user.name,
            "phone": user.phone,
            "email": user.email,
            "date_joined": user.date_joined,
        },
        "elder_profile": _row(elder) if elder else None,
        "elder_categories": [_row(row) for row in elder.categories.all()] if elder else [],
        "volunteer_profile": _row(volunteer) if volunteer else None,
        "qualifications": [_row(row) for row in Qualification.objects.filter(holder=user)],
        "acting_for": [
            {"elder": str(row.elder), "relation": row.relation, "status": row.get_status_display()}
            for row in ProxyAuthorisation.objects.filter(proxy=user).select_related("elder")
        ],
        "relatives": [
            {
                "requester": str(row.requester),
                "relative": str(row.relative),
                "relation": row.relation,
                "status": row.get_status_display(),
            }
            for row in RelativeLink.objects.owned_by(user).select_related("requester", "relative")
        ],
    }
