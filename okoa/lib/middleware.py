"""Refuse requests that carry NUL characters, before any view sees them.

No legitimate input contains NUL, and PostgreSQL refuses it in text (a 500 instead of a clear
refusal). One check here covers every path, query string, form and JSON body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

JSON_NUL = b"\\u0000"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which Okoa never accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return True
        if request.method in {"POST", "PUT", "PATCH"}:
            # Django's own reading of the header (lower case, parameters apart), as request.POST
            # uses it: "Application/X-WWW-Form-Urlencoded" is a form too.
            content_type = request.content_type or ""
            if content_type == "application/x-www-form-urlencoded":
                # A NUL in a form field is either sent as it is or written %00: the raw body
                # tells, without decoding every field (this runs before every public report).
                body = request.body
                return b"\x00" in body or b"%00" in body
            if content_type.startswith("multipart/"):
                # Uploaded files may hold NUL bytes legitimately; the form fields may not.
                return any(
                    "\x00" in value for values in request.POST.lists() for value in values[1]
                )
            body = request.body
            if b"\x00" in body or JSON_NUL in body.lower():
                return True
        return False
