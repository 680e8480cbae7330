import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import TextMessage


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source messages; the zh-hans catalogue has its own check."""
    with translation.override("en"):
        yield


PASSWORD = "Quiet-River-2026"


def url(name, lang="zh-hans"):
    with translation.override(lang):
        return reverse(name)


def signup(client, lang="zh-hans", **data):
    return client.post(
        url("account_signup", lang), {"password1": PASSWORD, "password2": PASSWORD, **data}
    )


def login(client, login, password, lang="zh-hans", **extra):
    return client.post(url("account_login", lang), {"login": login, "password": password}, **extra)


def code_sent_to(phone):
    body = TextMessage.objects.filter(recipient=phone).latest("sent_at").body
    return re.search(r"\d{6}", body).group()
