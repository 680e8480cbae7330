"""The site map (tests/site_map.py) holds every page: a URL added later is checked too."""

import pytest

from tests.site_map import (
    NOT_PAGES,
    ROLES,
    build_site_map_world,
    pages_by_role,
    site_map_names,
    unmapped_names,
)


def test_every_named_url_is_a_page_of_the_site_map_or_excluded_with_a_reason():
    assert unmapped_names() == []
    assert all(reason.strip() for reason in NOT_PAGES.values())
    assert not set(NOT_PAGES) & set(site_map_names())


@pytest.mark.long
def test_every_page_of_the_site_map_opens_for_some_role(db):
    seen = pages_by_role(build_site_map_world())
    opened = {name for pages in seen.values() for name, _ in pages}
    assert set(site_map_names()) - opened == set()
    assert set(seen) == set(ROLES)
