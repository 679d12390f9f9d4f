"""The API's URLs: the endpoints, the OpenAPI schema (public: it holds no data) and the
interactive docs (development only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from ninja import NinjaAPI
from ninja.openapi.views import openapi_view
from ninja.operation import Operation

from okoa.api.auth import ApiTokenAuth
from okoa.api.errors import install_error_handlers, not_found
from okoa.api.routers import cases, exchange, people, referrals


class OkoaApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "list_people" rather than "okoa_api_routers_people_list_people".
        return operation.view_func.__name__


api = OkoaApi(
    title="Okoa API",
    version="1",
    description=(
        "Case management for organisations assisting survivors of human trafficking. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>` "
        "(issued with `manage.py issue_api_token`). Records are named by opaque codes; "
        "names and phone numbers travel only in request and response bodies. Referrals are "
        "read only. The exchange inbox takes no token: partner installations sign what they "
        "post (docs/exchange.md)."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/people", people.router)
api.add_router("/cases", cases.router)
api.add_router("/referrals", referrals.router)
api.add_router("/exchange", exchange.router)


def docs(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Serve the interactive docs when DEBUG is on (they load Swagger UI from a CDN)."""
    if not settings.DEBUG:
        return not_found(request)
    return openapi_view(request, api=api, **kwargs)


urlpatterns = [
    path("", not_found),
    path("docs", docs, name="docs"),
    path("", api.urls),
    # Anything else under /api/ answers with the API's JSON 404, not the site's HTML page.
    re_path(r"^", not_found),
]
