"""Every page of the site map, as each role sees it, on a 360 px phone:
no axe-core violation in either language, and no sideways scrolling with
text at 200 %.

Each role is a test of its own, so that the walk spreads over the workers;
each page is loaded once per language and both checks read that load.

Visitors, elders, proxies, volunteers and coordinators read every page of
theirs in both languages, with both checks. The staff site's long pages
made most of the walk's time, and its pages are the same for the three
staff roles but for the rows and the read-only fields their area shows:
city staff, who open every one of them, check each at 200 % in both
languages and with axe-core in English; district staff read theirs in
English and street staff theirs in Chinese, both checks; and city staff
also read in Chinese, with axe-core, the pages street staff cannot open.
So axe-core reads every page of the site map in both languages, and
every role reads each of its pages in at least one. axe-core reads a
page's structure, names and colours, which do not change with the language.
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


def read_by_axe_elsewhere(world, role):
    """(page name, language) that another role reads with axe-core, which `role` need not."""
    if role != "city staff":
        return set()
    street_staff = pages_by_role(world, ["street staff"])["street staff"]
    language = SCOPED_STAFF_LANGUAGE["street staff"]
    return {(name, language) for name, _path in street_staff if name.startswith("admin:")}


@pytest.mark.long
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_axe_violation_and_fits_at_double_text(browser, live_server, role):
    world = build_site_map_world()
    pages = pages_by_role(world, [role])[role]
    elsewhere = read_by_axe_elsewhere(world, role)
    context = context_of(browser, live_server, world["users"][ROLES[role]])
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    violations, too_wide = [], []
    for name, path in pages:
        for language in languages_of(role, name):
            page.goto(live_server.url + path.replace("/zh-hans/", f"/{language}/", 1))
            where = f"{language} · {name}"
            # axe-core first: it reads the page as loaded, before the text grows.
            if (name, language) not in elsewhere:
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
