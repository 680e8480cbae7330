"""Every page of the site map, as each role sees it, on a 360 px phone:
no axe-core violation in either language."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import PHONE, logged_in_context
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
