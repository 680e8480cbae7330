"""The versioned JSON interface, /api/v1/: its one NinjaAPI, its schema and its docs page.

Version 1 only grows: new endpoints and new fields may appear, nothing
published changes meaning or goes away (docs/api.md). The docs page is
ninja's Swagger UI from ninja's own static files, never a CDN.
"""

from django.urls import path
from ninja import NinjaAPI, Swagger

from api import errors, me, orders, records, tokens, volunteers
from api.auth import PERSONAL
from api.parser import NulRefusingParser

api = NinjaAPI(
    title="Time Bank API",
    version="1",
    description="A person's own client: the volunteer's market and visits, the elder's "
    "orders, credits and notices; and, for organisations' systems with an API key, "
    "service records out and verified volunteers in. See docs/api.md.",
    urls_namespace="api",
    auth=PERSONAL,
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=NulRefusingParser(),
)
errors.install(api)
api.add_router("/auth", tokens.router)
api.add_router("/", orders.router)
api.add_router("/", me.router)
api.add_router("/", records.router)
api.add_router("/", volunteers.router)

urlpatterns = [path("", api.urls)]
