"""Production settings plus the bench's own baseline page."""

from timebank.settings import *  # noqa: F403

ROOT_URLCONF = "bench.market_urls"
