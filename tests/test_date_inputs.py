"""Every date input of the site shows ISO dates, whatever the language.

The browser's date picker accepts only 2026-01-01; Django would localise the
value to 2026/01/01 on the Chinese site, and the picker would show nothing.
"""

import datetime
import re

from django.conf import settings
from django.utils import translation

from accounts.widgets import IsoDateInput

APPS = ["catalogue", "accounts", "credits", "notifications", "orders", "rewards", "timebank"]
OWN_DATE_INPUT = re.compile(r"(?<!Iso)DateInput\(")


def test_iso_date_input_renders_iso_on_the_chinese_site():
    with translation.override("zh-hans"):
        html = IsoDateInput().render("day", datetime.date(2026, 1, 1))

    assert html == '<input type="date" name="day" value="2026-01-01">'


def test_no_form_builds_a_date_input_of_its_own():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for app in APPS
        for path in (settings.BASE_DIR / app).rglob("*.py")
        if OWN_DATE_INPUT.search(path.read_text()) and path.name != "widgets.py"
    ]

    assert offenders == []
