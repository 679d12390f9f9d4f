"""Account pages: choosing the organisation to act in, and personal API tokens.

Signing in and out are Django's own views (see urls.py) with Okoa's templates.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.access import SESSION_KEY, active_memberships_for_user
from okoa.accounts.actions import issue_api_token, revoke_api_token
from okoa.accounts.forms import ApiTokenForm, OrganisationChoiceForm, RevokeApiTokenForm
from okoa.accounts.models import Membership, User


def signed_in_user(request: HttpRequest) -> User:
    """Return the signed-in user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user


def current_membership(request: HttpRequest) -> Membership | None:
    """Return the membership the request acts through, or None (see MembershipMiddleware)."""
    membership = getattr(request, "membership", None)
    return membership if membership else None


@login_required
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """List the user's organisations and switch the one they act in."""
    memberships = active_memberships_for_user(signed_in_user(request))
    form = OrganisationChoiceForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_membership()
        request.session[SESSION_KEY] = chosen.pk
        messages.success(request, _("You now work in %(name)s.") % {"name": chosen.organisation})
        return redirect("cases:home")
    current = current_membership(request)
    if current is not None and not form.is_bound:
        form.initial["organisation"] = current.organisation.code
    status = 400 if form.is_bound else 200
    return render(
        request,
        "accounts/organisation.html",
        {"form": form, "memberships": memberships},
        status=status,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the member's API tokens and create one; the secret is shown once, in this response."""
    membership = current_membership(request)
    form = ApiTokenForm(request.POST or None) if membership else None
    secret = None
    if membership and form is not None and request.method == "POST":
        if not form.is_valid():
            return _render_tokens(request, membership, form, status=400)
        _token, secret = issue_api_token(membership, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return _render_tokens(request, membership, form, secret=secret)


@login_required
@require_POST
def revoke_token(request: HttpRequest) -> HttpResponse:
    """Revoke one of the member's own tokens."""
    membership = current_membership(request)
    form = RevokeApiTokenForm(request.POST)
    if membership and form.is_valid():
        for token in membership.api_tokens.filter(prefix=form.cleaned_data["token"]):
            revoke_api_token(token)
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("accounts:api_tokens")


def _render_tokens(
    request: HttpRequest,
    membership: Membership | None,
    form: ApiTokenForm | None,
    *,
    secret: str | None = None,
    status: int = 200,
) -> HttpResponse:
    tokens = membership.api_tokens.order_by("-created_at") if membership else []
    context = {"form": form, "tokens": tokens, "secret": secret}
    return render(request, "accounts/api_tokens.html", context, status=status)
