"""Pages and the inbox of the exchange between installations.

The inbox is not a page: partners post envelopes to it, and what they send proves who they are
(signatures), so it needs no account and no CSRF token. The status page shows partners and
message counts, never a body.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from okoa.accounts.views import current_membership
from okoa.audit.actions import client_address
from okoa.exchange import actions, inbox
from okoa.exchange.access import (
    exchange_scope_for_user,
    get_partner_for_site_admin,
    overview_for,
)
from okoa.exchange.envelope import MAX_ENVELOPE_BYTES
from okoa.exchange.identity import ExchangeNotConfigured, this_installation


def _posted_envelope(request: HttpRequest) -> bytes:
    # Anything but JSON of a sane size is read as an empty (malformed) envelope, unread.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    if request.content_type != "application/json" or length > MAX_ENVELOPE_BYTES:
        return b""
    return request.body


@csrf_exempt
@never_cache
@require_POST
def inbox_view(request: HttpRequest) -> HttpResponse:
    """A partner delivers one message; the answer is a signed acknowledgement or a refusal."""
    try:
        reply = inbox.receive(_posted_envelope(request), address=client_address(request))
    except ExchangeNotConfigured:
        return JsonResponse({"status": "rejected"}, status=404)
    return JsonResponse(reply.body, status=reply.status)


@login_required
def status(request: HttpRequest) -> HttpResponse:
    """Partners, their organisations and the state of the outbox and inbox."""
    scope = exchange_scope_for_user(request.user, current_membership(request))  # type: ignore[arg-type]
    try:
        identity = this_installation() if scope.whole_installation else None
    except ExchangeNotConfigured:
        identity = None
    context = {"scope": scope, "overview": overview_for(scope), "identity": identity}
    return render(request, "exchange/status.html", context)


@login_required
@require_POST
def ping(request: HttpRequest, code: str) -> HttpResponse:
    """Ask a partner to answer: the answer shows on the status page once it arrives."""
    partner = get_partner_for_site_admin(request.user, code)  # type: ignore[arg-type]
    try:
        actions.ping(partner)
    except ValueError:
        messages.error(request, _("This partner is not active: nothing was sent."))
    else:
        messages.success(
            request,
            _("Ping sent to %(partner)s. Its answer shows here once it arrives.")
            % {"partner": partner.name},
        )
    return redirect("exchange:status")
