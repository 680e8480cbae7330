import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source messages; the zh-hans catalogue has its own check."""
    with translation.override("en"):
        yield
