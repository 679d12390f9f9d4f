"""Africa's Talking callbacks: USSD sessions and inbound SMS.

Each view: check that the gateway sent it (else 403, nothing read or saved, logged without the
payload), parse (a malformed payload is 400 and saves nothing), act, answer. The report is
committed before the answer leaves; a briefly locked database is waited out. A callback the
gateway repeats gets the same answer and creates nothing. The callbacks carry phone numbers and
messages: error reports never show their fields (``sensitive_post_parameters``).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from okoa.audit.actions import client_address
from okoa.intake.channels import sms, ussd
from okoa.intake.channels.auth import is_from_gateway

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _text(body: str, *, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _refused(request: HttpRequest, channel: str) -> HttpResponse:
    # The address and the channel only: never the payload, the path (it may hold a wrong
    # secret) or a header.
    logger.warning(
        "Refused a %s callback from %s: not the gateway.", channel, client_address(request)
    )
    return _text("Forbidden", status=403)


def _malformed(channel: str, field: str) -> HttpResponse:
    logger.warning("Refused a malformed %s callback (%s).", channel, field)
    return _text("Bad request", status=400)


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@require_POST
def ussd_callback(request: HttpRequest, secret: str | None = None) -> HttpResponse:
    """One step of a USSD session: answer the next screen (``CON``) or the last (``END``)."""
    if not is_from_gateway(request, path_secret=secret):
        return _refused(request, "USSD")
    if request.content_type not in FORM_TYPES:
        return _malformed("USSD", "content type")
    try:
        call = ussd.UssdRequest.parse(request.POST)
    except ussd.MalformedRequest as error:
        return _malformed("USSD", str(error))
    try:
        return _text(ussd.answer(call))
    except ValidationError:
        return _malformed("USSD", "report values")
    except (OperationalError, ImproperlyConfigured):
        # The database stayed locked through every retry: the caller is told to dial again
        # (nothing was saved), rather than the session breaking with an error.
        logger.exception("A USSD report could not be saved.")
        return _text(ussd.not_saved_screen(ussd.read(call.inputs)).render())


@csrf_exempt
@sensitive_post_parameters()
@never_cache
@require_POST
def sms_callback(request: HttpRequest, secret: str | None = None) -> HttpResponse:
    """An SMS to the organisation's number: record it as a report and acknowledge it."""
    if not is_from_gateway(request, path_secret=secret):
        return _refused(request, "SMS")
    if request.content_type not in FORM_TYPES:
        return _malformed("SMS", "content type")
    try:
        message = sms.InboundSms.parse(request.POST)
    except sms.MalformedMessage as error:
        return _malformed("SMS", str(error))
    try:
        sms.receive_sms(message)
    except ValidationError:
        return _malformed("SMS", "report values")
    except (OperationalError, ImproperlyConfigured):
        # Not saved: an error status makes the gateway deliver the message again later.
        logger.exception("An SMS report could not be saved.")
        return _text("Busy, try again", status=503)
    return _text("OK")
