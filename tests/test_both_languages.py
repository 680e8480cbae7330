"""Every page of the site map, as each role sees it, speaks one language.

English pages carry no Chinese characters and Chinese pages no English
words, outside what people typed (names, addresses, reasons) and a short
list of words both languages write in Latin letters.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.models import Community, District, Street, TextMessage
from catalogue.models import ServiceType
from rewards.models import Project
from tests.site_map import ROLES, build_site_map_world, opened_pages

# What the people of the world typed: their names, addresses and reasons.
TYPED = [
    "Chen Elder",
    "Zhou Elder",
    "Chen Proxy",
    "Zhou Proxy",
    "Li Volunteer",
    "Wang Volunteer",
    "Huang Coordinator",
    "City Staff",
    "Staff Yuexiu",
    "Staff Haizhu",
    "77 Canary Lane",
    "1 Example Road",
    "3 Station Road",
    "Family",
    "Beijing Jie Care Centre",
    "Beijing Jie station",
    "Rice 5 kg",
    "Warm winter",
    "Blankets",
    "Lives alone since March",
    "Not on that day",
    "Said yes at the station",
    "District staff",
    "Yuexiu Volunteers Federation",
    "Wang Director",
    "Zhao Clerk",
    "Shenzhen Time Bank",
    "Yuexiu registry",
    "Yuexiu Civil Affairs",
    "Registry records",
    # The task runner's cluster and a task's name.
    "timebank",
    "expire-orders",
]
# Codes and ids: serials, pickup and card codes, licence and certificate
# numbers, masked data (C*********), references (order:1), file paths,
# hash names (md5), ledger keys, key ids and statement ids (hex, uuids),
# public keys (base64), Python paths of tasks (orders.tasks.send_reminders)
# and the four-word names django-q2 gives them (alpha-bravo-charlie-delta).
CODES = re.compile(
    r"\b[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}\b|\b(?=[a-f]*\d)[\da-f]{8,}\b|[A-Za-z0-9+/]{40,}=*"
    r"|\b[a-z_]+(\.[a-z_]+){2,}\b|\b[a-z]+(-[a-z]+){3}\b"
    r"|\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,}\b|\b[A-Z]{6,}\b|\b[A-Z]+-[\dA-Z-]+\b"
    r"|\S*\*{3,}\S*|[\w.-]+:\d+|\b[a-z]+\d\w*\b|\bsite-map-hold\b"
)
# Words a Chinese page may hold in Latin letters: units, file formats, and
# the words Django's and allauth's own Chinese keeps in English.
LATIN_IN_CHINESE = {
    "ID", "QR", "CSV", "Excel", "PDF", "JSON", "TOTP", "kg", "MB", "JPEG", "PNG", "WebP",
    "YYYY-MM-DD", "Email", "APP", "token", "LDAP", "Control", "Command", "Mac",
}  # fmt: skip
# Known gaps, each with its reason and the pages it is on ("admin": the
# staff site); the test fails on anything else.
KNOWN = {}
# Public keys (base64) first: a "/" inside one must not be read as a path.
ADDRESSES = re.compile(
    r"[A-Za-z0-9+/]{40,}=*|[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|[\w.-]*/[\w/.-]+"
)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
SKIPPED_TAGS = {"script", "style", "template"}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class VisibleText(HTMLParser):
    """The text a person reads or hears, without parts marked as another language."""

    def __init__(self, language):
        super().__init__()
        self.stack = []  # (tag, language, skipped)
        self.language = language
        self.texts = []

    def _state(self):
        return self.stack[-1][1:] if self.stack else (self.language, False)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language, skipped = self._state()
        language = (attrs.get("lang") or language).lower()
        skipped = skipped or tag in SKIPPED_TAGS or language != self.language
        if not skipped:
            self.texts += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, language, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._state()[1] and data.strip():
            self.texts.append(data.strip())


def foreign_text(html, language, data=(), page=""):
    """The snippets of `html` written in the other language.

    What people typed is taken out longest first, so that a text as it was
    sent goes as a whole before the names in it.

    `data` is what staff entered in both languages (place and service names,
    texts as they were sent): the staff site shows it as entered.
    """
    parser = VisibleText(language)
    parser.feed(html)
    found = []
    admin = page.startswith("admin")
    typed_texts = sorted({*TYPED, *(data if admin else ())}, key=len, reverse=True)
    for text in parser.texts:
        for typed in typed_texts:
            text = text.replace(typed, " ")
        text = CODES.sub(" ", ADDRESSES.sub(" ", text))
        text = " ".join(w for w in text.split() if not page.startswith(KNOWN.get(w, "-")))
        if language == "en":
            words = CJK.findall(text)
        else:
            words = [w for w in LATIN_WORD.findall(text) if w not in LATIN_IN_CHINESE]
        if words:
            found.append(text[:90])
    return found


def test_the_reader_finds_each_language_and_skips_marked_parts():
    html = (
        '<p title="Hello">你好 <b>Time Bank</b></p><button lang="en">English</button>'
        "<script>var x = '中文';</script><p>ann@example.org 30 TOTP</p>"
    )
    assert foreign_text(html, "zh-hans") == ["Hello", "Time Bank"]
    assert foreign_text(html, "en") == ["你好"]


def entered_in_both_languages():
    """What staff entered in each language, longest first (a name holds shorter ones)."""
    names = [
        value
        for model in (District, Street, Community, ServiceType)
        for row in model.objects.values_list("name_zh", "name_en")
        for value in row
    ]
    codes = [*District.objects.values_list("code", flat=True)]
    codes += [*ServiceType.objects.values_list("code", flat=True)]
    codes += [*Project.objects.values_list("code", flat=True)]
    sent = [*TextMessage.objects.values_list("body", flat=True)]
    return sorted({*names, *codes, *sent}, key=len, reverse=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.long
def test_every_page_speaks_the_viewers_language(db, role):
    """One role's pages in each language: the roles spread over the workers."""
    world = build_site_map_world()
    data = entered_in_both_languages()
    client = Client()
    if world["users"][ROLES[role]] is not None:
        client.force_login(world["users"][ROLES[role]])
    problems = {}
    # The site map's paths are the Chinese pages: each is read as it is found.
    for name, path, chinese in opened_pages(world, role, client):
        english = client.get(path.replace("/zh-hans/", "/en/", 1))
        assert english.status_code == 200, path
        for language, response in [("zh-hans", chinese), ("en", english)]:
            for snippet in foreign_text(response.content.decode(), language, data, name):
                problems.setdefault(snippet, set()).add(f"{name} ({language})")
    report = "\n".join(
        f"{snippet!r}: {', '.join(sorted(names)[:4])}"
        for snippet, names in sorted(problems.items())
    )
    assert not problems, f"{len(problems)} snippets of the other language:\n{report}"
