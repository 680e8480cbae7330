"""Every page of the site map, as each role sees it, on a 360 px phone:
no axe-core violation in either language, and no sideways scrolling with
text at 200 %.

Each role is a test of its own, so that the walk spreads over the workers;
each page is loaded once per language and both checks read that load.

Every role but two reads each of its pages in both languages, both checks
each time; city staff among them open every page of the staff site. District
and street staff open the same staff pages with fewer rows and some fields
read-only, and read them in one language each (district staff English,
street staff Chinese): axe-core reads a page's structure, names and colours,
which do not change with the language, and the staff site's long pages
made it most of the walk's time. Their pages of the public site they read
in both languages, like everyone.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import PHONE, enlarge_text, logged_in_context
from tests.site_map import ROLES, build_site_map_world, pages_by_role

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["zh-hans", "en"]
# The one language of the staff site for district and street staff.
SCOPED_STAFF_LANGUAGE = {"district staff": "en", "street staff": "zh-hans"}
# axe-core with every rule; given to each page before its own scripts, which
# spares sending half a megabyte of script along with every check.
AXE_SCRIPT = Axe().axe_script


def axe_violations(page):
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + " | ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
        for rule in violations
    ]


def languages_of(role, page_name):
    """The languages a role reads a page in: both, but for scoped staff on the staff site."""
    if role in SCOPED_STAFF_LANGUAGE and page_name.startswith("admin:"):
        return [SCOPED_STAFF_LANGUAGE[role]]
    return LANGUAGES


def overflow_at_double_text(page):
    """Text at 200 %, as a reader's browser setting makes it: the page must still fit."""
    enlarge_text(page, 200)
    extra = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return [f"{extra}px wider than the screen at 200 % text"] if extra > 0 else []


def context_of(browser, live_server, user):
    if user is None:
        return browser.new_context(viewport=PHONE, locale="en-GB")
    return logged_in_context(browser, live_server, user, viewport=PHONE)


@pytest.mark.long
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_axe_violation_and_fits_at_double_text(browser, live_server, role):
    world = build_site_map_world()
    pages = pages_by_role(world, [role])[role]
    context = context_of(browser, live_server, world["users"][ROLES[role]])
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    violations, too_wide = [], []
    for name, path in pages:
        for language in languages_of(role, name):
            page.goto(live_server.url + path.replace("/zh-hans/", f"/{language}/", 1))
            where = f"{language} · {name}"
            # axe-core first: it reads the page as loaded, before the text grows.
            violations += [f"{where} · {problem}" for problem in axe_violations(page)]
            too_wide += [f"{where} · {problem}" for problem in overflow_at_double_text(page)]
    context.close()

    assert pages
    assert not violations + too_wide, (
        f"{len(violations)} axe-core violations, {len(too_wide)} pages too wide:\n"
        + "\n".join(violations + too_wide)
    )


def test_the_passbook_is_one_card_per_row_on_a_phone(browser, live_server):
    world = build_site_map_world()
    context = logged_in_context(browser, live_server, world["users"]["vol_a"], viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/en/credits/statement/")
    row = page.locator("table.passbook tbody tr").first
    cell = row.locator("td").first

    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Date: "'
    context.close()
