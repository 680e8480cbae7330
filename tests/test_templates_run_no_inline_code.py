"""The CSP runs no inline code: no template may rely on any.

A script without `src`, an `on…=` handler or a `javascript:` link would be
blocked in the browser, silently: the button just does nothing.
"""

import re

from django.conf import settings

INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|\sstyle\s*=", re.IGNORECASE
)


def test_no_template_holds_inline_script_handlers_or_styles():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert offenders == []
