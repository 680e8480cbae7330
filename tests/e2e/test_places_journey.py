"""The street list follows the district in the browser (static/js/streets.js)."""

import pytest
from django.urls import reverse

from accounts.models import Street
from tests.conftest import make_user
from tests.e2e.conftest import PHONE, logged_in_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_choosing_a_district_leaves_only_its_streets(browser, live_server, yuexiu, haizhu):
    Street.objects.create(district=yuexiu, name_zh="人民街", name_en="Renmin Jie")
    elder = make_user("+8613900000071", name="Chen Po")
    context = logged_in_context(browser, live_server, elder, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("people:elder_self"))

    page.select_option("#id_district", str(yuexiu.pk))
    shown = page.eval_on_selector_all(
        "#id_street option", "options => options.filter(o => !o.hidden).map(o => o.textContent)"
    )
    page.select_option("#id_street", str(yuexiu.streets.get(name_zh="北京街").pk))
    page.select_option("#id_district", str(haizhu.pk))

    assert sorted(shown) == ["---------", "人民街", "北京街"]
    assert page.input_value("#id_street") == ""
    context.close()
