"""Who gets what on every page that names an object.

Rows are personas, columns are pages; anyone who is not a party and not
staff of the elder's district gets a 404, as if the elder did not exist.
"""

import pytest
from django.urls import reverse

from accounts.models import ElderCategory
from tests.conftest import image_file

PERSONAS = [
    "owner_elder",
    "other_elder",
    "proxy_of_owner",
    "other_proxy",
    "volunteer",
    "district_staff",
    "other_district_staff",
    "anonymous",
]

# The admin answers 302 (to its login, or to its index for an object
# outside the staff member's scope) where the site answers 404.
# page:               elder card  category_new evidence revoke  admin_elder admin_category
EXPECTED = {
    "owner_elder": (200, 200, 200, 200, 302, 302, 302),
    "other_elder": (404, 404, 404, 404, 404, 302, 302),
    "proxy_of_owner": (200, 200, 200, 200, 302, 302, 302),
    "other_proxy": (404, 404, 404, 404, 404, 302, 302),
    "volunteer": (404, 404, 404, 404, 404, 302, 302),
    "district_staff": (200, 200, 404, 200, 302, 200, 200),
    "other_district_staff": (404, 404, 404, 404, 404, 302, 302),
    "anonymous": (302, 302, 302, 302, 302, 302, 302),
}
PAGES = ["elder", "card", "category_new", "evidence", "revoke", "admin_elder", "admin_category"]


@pytest.fixture
def world(
    elder,
    elder_profile,
    other_elder,
    other_elder_profile,
    proxy,
    proxy_authorisation,
    other_proxy,
    other_proxy_authorisation,
    volunteer,
    district_staff,
    other_district_staff,
):
    category = ElderCategory.objects.create(
        elder=elder_profile,
        category="alone",
        district=elder_profile.district,
        street=elder_profile.street,
        evidence=image_file("evidence.jpg"),
    )
    users = {
        "owner_elder": elder,
        "other_elder": other_elder,
        "proxy_of_owner": proxy,
        "other_proxy": other_proxy,
        "volunteer": volunteer,
        "district_staff": district_staff,
        "other_district_staff": other_district_staff,
        "anonymous": None,
    }
    urls = {
        "elder": reverse("people:elder", args=[elder_profile.pk]),
        "card": reverse("people:card", args=[elder_profile.pk]),
        "category_new": reverse("people:category_new", args=[elder_profile.pk]),
        "evidence": reverse("people:evidence", args=["eldercategory", category.pk]),
        "revoke": reverse("people:proxy_revoke", args=[proxy_authorisation.pk]),
        "admin_elder": reverse("admin:accounts_elderprofile_change", args=[elder_profile.pk]),
        "admin_category": reverse("admin:accounts_eldercategory_change", args=[category.pk]),
    }
    return users, urls, elder_profile


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_each_persona_gets_exactly_the_expected_status(client, world, persona, page):
    users, urls, elder_profile = world
    if users[persona] is not None:
        client.force_login(users[persona])
    expected = EXPECTED[persona][PAGES.index(page)]

    response = client.post(urls[page]) if page == "revoke" else client.get(urls[page])

    assert response.status_code == expected
    if expected != 200:
        body = b"".join(response) if hasattr(response, "streaming_content") else response.content
        assert elder_profile.real_name.encode() not in body
        assert elder_profile.card_code.encode() not in body
