"""Every page of the site map, as each role sees it, on a 360 px phone:
no axe-core violation in either language, and no sideways scrolling with
text at 200 %."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import PHONE, enlarge_text, logged_in_context
from tests.site_map import ROLES, build_site_map_world, pages_by_role

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["zh-hans", "en"]


@pytest.fixture
def seen(live_server):
    world = build_site_map_world()
    return world, pages_by_role(world)


def visit_every_page(browser, live_server, seen, language, check):
    """Open each role's pages in one logged-in context; `check(page)` returns problems."""
    world, pages = seen
    problems = []
    for role, persona in ROLES.items():
        user = world["users"][persona]
        if user is None:
            context = browser.new_context(viewport=PHONE, locale="en-GB")
        else:
            context = logged_in_context(browser, live_server, user, viewport=PHONE)
        page = context.new_page()
        for name, path in pages[role]:
            page.goto(live_server.url + path.replace("/zh-hans/", f"/{language}/", 1))
            problems += [f"{role} · {name} · {problem}" for problem in check(page)]
        context.close()
    return problems


def axe_violations(page):
    results = Axe().run(page)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + " | ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
        for rule in results.response["violations"]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_any_page(browser, live_server, seen, language):
    problems = visit_every_page(browser, live_server, seen, language, axe_violations)
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


def overflow_at_double_text(page):
    """Text at 200 %, as a reader's browser setting makes it: the page must still fit."""
    enlarge_text(page, 200)
    extra = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return [f"{extra}px wider than the screen at 200 % text"] if extra > 0 else []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_at_double_text(browser, live_server, seen, language):
    problems = visit_every_page(browser, live_server, seen, language, overflow_at_double_text)
    assert not problems, f"{len(problems)} pages too wide:\n" + "\n".join(problems)


def test_the_passbook_is_one_card_per_row_on_a_phone(browser, live_server, seen):
    world, _ = seen
    context = logged_in_context(browser, live_server, world["users"]["vol_a"], viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/en/credits/statement/")
    row = page.locator("table.passbook tbody tr").first
    cell = row.locator("td").first

    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Date: "'
    context.close()
