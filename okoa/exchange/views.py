"""Pages and the inbox of the exchange between installations.

The inbox is not a page: partners post envelopes to it, and what they send proves who they are
(signatures), so it needs no account and no CSRF token. It is an operation of the HTTP API
(``POST /api/exchange/inbox``); ``/exchange/inbox/`` answers exactly the same (one function,
``inbox.answer``) for partners not yet upgraded. The status page shows partners and message
counts, never a body.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from okoa.accounts.views import current_membership
from okoa.exchange import actions, inbox
from okoa.exchange.access import (
    exchange_scope_for_user,
    get_partner_for_site_admin,
    overview_for,
)
from okoa.exchange.identity import ExchangeNotConfigured, this_installation


@csrf_exempt
@require_POST
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The old address of ``POST /api/exchange/inbox``, kept for partners not yet upgraded."""
    return inbox.answer(request)


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
