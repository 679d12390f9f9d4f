"""Error responses of the API: always JSON, never personal data beyond what the client sent.

* 401 ``{"detail": ...}``: no usable API token.
* 403 ``{"detail": ...}``: the role has no access to a whole list, where the pages answer 403
  too (the referral lists).
* 404 ``{"detail": ...}``: one body for a missing record, another organisation's record and a
  record the role may not see, so a response never tells them apart.
* 400 ``{"detail": ..., "errors": {"field": ["message", ...]}}``: the actions refused the values
  (Django ``ValidationError``), or a code names no known reference value or record.
* 409 ``{"detail": ...}``: somebody saved the record after the client read its ``version``.
* 422 ``{"detail": [...]}``: the request does not match the schema (django-ninja's pydantic
  errors, without the submitted values).

The exchange inbox (``POST /api/exchange/inbox``) is the exception: it answers with the
exchange's own bodies (``okoa/exchange/inbox.py``, docs/exchange.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from okoa.cases.actions import StaleEdit as StaleCaseEdit
from okoa.people.actions import StaleEdit as StalePersonEdit


def not_found_body() -> dict[str, str]:
    return {"detail": _("Not found.")}


def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Answer any path under /api/ that is not an endpoint with the API's 404 body."""
    return JsonResponse(not_found_body(), status=404)


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """Return the messages of ``error`` by field (``__all__`` for the record as a whole)."""
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: list(error.messages)}


def renamed(error: DjangoValidationError, names: Mapping[str, str]) -> DjangoValidationError:
    """Return ``error`` with its fields renamed (``names`` maps old names to new ones)."""
    return DjangoValidationError(
        {names.get(field, field): messages for field, messages in field_errors(error).items()}
    )


def prefixed(error: DjangoValidationError, prefix: str) -> DjangoValidationError:
    """Return ``error`` with its fields named under ``prefix`` (``new_person.given_name``)."""
    return DjangoValidationError(
        {f"{prefix}{field}": messages for field, messages in field_errors(error).items()}
    )


def install_error_handlers(api: NinjaAPI) -> None:
    """Make ``api`` answer errors with the bodies described in this module."""

    # django-ninja types a handler's exception argument loosely (instance or class): Any.
    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(
            request,
            {"detail": _("Send a valid API token in the header Authorization: Bearer <token>.")},
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc) or _("You may not do this.")}, status=403
        )

    def missing(request: HttpRequest, exc: Any) -> HttpResponse:
        # Deliberately ignores the exception's message: it must not differ between causes.
        return api.create_response(request, not_found_body(), status=404)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("Some values are not valid."), "errors": field_errors(exc)},
            status=400,
        )

    def stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)

    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(DjangoValidationError, invalid)
    api.add_exception_handler(StalePersonEdit, stale)
    api.add_exception_handler(StaleCaseEdit, stale)
