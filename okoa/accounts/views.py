"""Account pages: signing in (two steps), two-step verification, passwords, the organisation
one acts in, and personal API tokens.

Signing in:

1. ``sign_in``: email address and password. Throttling comes first (``sign_in_lock``: too many
   recent failures for the address typed or from the network address), then the password. The
   refusal never says whether an account exists. A user with an authenticator app is not signed
   in yet: the session (with a new key) remembers who passed step one, for five minutes.
2. ``two_factor``: a code from the app, or one recovery code, completes the sign-in through
   ``django.contrib.auth.login`` (which gives the session a new key) and ``django_otp.login``.

Wrong passwords and codes count as failures in ``SignInAttempt`` and are logged to
``okoa.security``. A user who must use two-step verification but has no app yet is signed in
and kept on ``two_factor_setup`` by ``TwoFactorMiddleware`` until they enrol. Signing in applies
the user's preferred language, unless this browser already chose one (the language cookie).

Password reset is Django's, by an emailed link that names the account by its opaque code; it
never signs anybody in, so the second factor is still asked afterwards. Signing out is Django's
LogoutView (POST only).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from okoa.accounts.access import (
    SESSION_KEY,
    active_memberships_for_user,
    client_address,
    email_digest,
    has_two_factor,
    is_verified,
    recovery_codes_left,
    sign_in_lock,
    two_factor_required_for,
)
from okoa.accounts.actions import (
    CodeCheck,
    confirm_two_factor_device,
    issue_api_token,
    record_password_change,
    record_sign_in_attempt,
    regenerate_recovery_codes,
    revoke_api_token,
    start_two_factor_enrolment,
    verify_sign_in_code,
)
from okoa.accounts.forms import (
    ApiTokenForm,
    ConfirmDeviceForm,
    LoginForm,
    OkoaPasswordResetForm,
    OrganisationChoiceForm,
    RevokeApiTokenForm,
    TwoFactorCodeForm,
    form_status,
)
from okoa.accounts.models import AuthenticatorDevice, Membership, SignInAttempt, User

# Who passed step one of signing in, and when: kept in the (anonymous) session.
PENDING_USER = "okoa_pending_user"
PENDING_AT = "okoa_pending_at"
PENDING_BACKEND = "okoa_pending_backend"
PENDING_NEXT = "okoa_pending_next"
PENDING_KEYS = (PENDING_USER, PENDING_AT, PENDING_BACKEND, PENDING_NEXT)
PENDING_SECONDS = 5 * 60


def signed_in_user(request: HttpRequest) -> User:
    """Return the signed-in user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user


def current_membership(request: HttpRequest) -> Membership | None:
    """Return the membership the request acts through, or None (see MembershipMiddleware)."""
    membership = getattr(request, "membership", None)
    return membership if membership else None


def locked_message() -> str:
    # The same words whatever the reason and whether or not the account exists.
    return _(
        "Too many failed attempts to sign in. Wait 15 minutes, then try again. If you have "
        "forgotten your password, you can reset it."
    )


# Signing in -------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in, step one: throttle, then check the email address and password."""
    if request.user.is_authenticated:
        # Not to "next": a signed-in user sent here by a page they may not see would loop.
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = safe_next_url(request)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, address = form.cleaned_data["username"], client_address(request)
        if sign_in_lock(email_digest(email), address):
            record_sign_in_attempt(
                email=email, address=address, outcome=SignInAttempt.Outcome.LOCKED
            )
            form.add_error(None, locked_message())
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if not isinstance(user, User):
                record_sign_in_attempt(
                    email=email, address=address, outcome=SignInAttempt.Outcome.BAD_PASSWORD
                )
                form.add_error(None, _("The email address or the password is not right."))
            elif has_two_factor(user):
                remember_pending_sign_in(request, user, next_url)
                return redirect("accounts:two_factor")
            else:
                return complete_sign_in(request, user, device=None, next_url=next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Sign in, step two: a code from the authenticator app or a recovery code."""
    pending = pending_sign_in(request)
    if pending is None:
        messages.error(request, _("Your sign-in took too long or has ended. Please start again."))
        return redirect("accounts:login")
    user, next_url = pending
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if sign_in_lock(email_digest(user.email), address):
            record_sign_in_attempt(
                email=user.email, address=address, outcome=SignInAttempt.Outcome.LOCKED, user=user
            )
            form.add_error(None, locked_message())
        else:
            result = verify_sign_in_code(user, code=form.cleaned_data["code"])
            if result.check is CodeCheck.ACCEPTED:
                return complete_sign_in(request, user, device=result.device, next_url=next_url)
            record_sign_in_attempt(
                email=user.email,
                address=address,
                outcome=SignInAttempt.Outcome.BAD_CODE,
                user=user,
                detail=result.check.value,
            )
            if result.check is CodeCheck.THROTTLED:
                form.add_error(
                    None,
                    _("Too many wrong codes in a row. Wait a minute, then enter the newest code."),
                )
            else:
                form.add_error(
                    None,
                    _(
                        "This code does not work: it may be mistyped, too old or already used. "
                        "Enter the newest code from your app, or an unused recovery code."
                    ),
                )
    return render(request, "accounts/two_factor.html", {"form": form})


def safe_next_url(request: HttpRequest) -> str:
    """Return the "next" page asked for, if it is on this site, else an empty string."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


def remember_pending_sign_in(request: HttpRequest, user: User, next_url: str) -> None:
    """Keep who passed step one in the session, under a new session key."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_AT] = int(timezone.now().timestamp())
    request.session[PENDING_BACKEND] = getattr(user, "backend", "")
    request.session[PENDING_NEXT] = next_url


def pending_sign_in(request: HttpRequest) -> tuple[User, str] | None:
    """Return the user who passed step one (and where to go next), unless too long ago."""
    session = request.session
    started = session.get(PENDING_AT)
    now = int(timezone.now().timestamp())
    if not isinstance(started, int) or not 0 <= now - started <= PENDING_SECONDS:
        forget_pending_sign_in(request)
        return None
    user_id = session.get(PENDING_USER)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        forget_pending_sign_in(request)
        return None
    return user, session.get(PENDING_NEXT) or ""


def forget_pending_sign_in(request: HttpRequest) -> None:
    for key in PENDING_KEYS:
        request.session.pop(key, None)


def complete_sign_in(
    request: HttpRequest, user: User, *, device: Any, next_url: str
) -> HttpResponse:
    """Sign ``user`` in (new session key), note the second factor used, apply their language.

    ``login`` also starts the session clock (``middleware.start_session_clock_on_login``).
    """
    backend = request.session.get(PENDING_BACKEND) or getattr(user, "backend", None)
    forget_pending_sign_in(request)
    login(request, user, backend=backend)
    if device is not None:
        django_otp.login(request, device)
    record_sign_in_attempt(
        email=user.email,
        address=client_address(request),
        outcome=SignInAttempt.Outcome.SUCCESS,
        user=user,
        detail="with a second factor" if device is not None else "password only",
    )
    if device is None and two_factor_required_for(user):
        messages.info(request, _("Set up two-step verification to continue."))
        response = redirect("accounts:two_factor_setup")
    else:
        response = redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # A language chosen on this browser (the switch on the sign-in page) wins.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


# Two-step verification --------------------------------------------------------------------------


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or move to a new one); show recovery codes once."""
    user = signed_in_user(request)
    replacing = has_two_factor(user)
    if replacing and not is_verified(request):
        messages.error(
            request,
            _("To change two-step verification, sign out and sign in again with a code."),
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = start_two_factor_enrolment(user)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_two_factor_device(
            device, code=form.cleaned_data["code"], by=user, address=client_address(request)
        )
        if codes is not None:
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session.cycle_key()  # a session that gains a second factor gets a new key
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
        form.add_error(
            "code",
            _("This code does not match. Check the app's clock, then enter the newest code."),
        )
    context = {
        "form": form,
        "replacing": replacing,
        "qr_code": qr_code_data_uri(device),
        "secret": grouped_secret(device),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=form_status(form))


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Count the recovery codes left and make a new set (needs a verified session)."""
    user = signed_in_user(request)
    if not has_two_factor(user):
        return redirect("accounts:two_factor_setup")
    if not is_verified(request):
        messages.error(
            request, _("To make new recovery codes, sign out and sign in again with a code.")
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    codes = None
    if request.method == "POST":
        codes = regenerate_recovery_codes(user, by=user, address=client_address(request))
    context = {"codes": codes, "left": recovery_codes_left(user)}
    return render(request, "accounts/recovery_codes.html", context)


def qr_code_data_uri(device: AuthenticatorDevice) -> str:
    """Return the device's otpauth address as an SVG QR code in a ``data:`` URI.

    An <img> with a data: URI fits the CSP (img-src 'self' data:) with no inline markup or style
    in the page, and an image cannot run script. The page itself is never cached (no-store).
    """
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def grouped_secret(device: AuthenticatorDevice) -> str:
    """Return the device's secret in base32, in groups of four, for typing into an app."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


# Passwords --------------------------------------------------------------------------------------


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password; every other session of the account is signed out."""
    user = signed_in_user(request)
    address = client_address(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if sign_in_lock(email_digest(user.email), address):
            record_sign_in_attempt(
                email=user.email, address=address, outcome=SignInAttempt.Outcome.LOCKED, user=user
            )
            form = PasswordChangeForm(user)
            form.add_error(None, locked_message())
            return render(request, "accounts/password_change.html", {"form": form}, status=400)
        if form.is_valid():
            form.save()
            # Keeps this session (with a new key); the others no longer match the password.
            update_session_auth_hash(request, form.user)
            record_password_change(user, address=address)
            messages.success(
                request,
                _("Your password is changed. You are signed out everywhere else."),
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
        if "old_password" in form.errors:
            # Guessing the current password through this form counts like a wrong sign-in.
            record_sign_in_attempt(
                email=user.email,
                address=address,
                outcome=SignInAttempt.Outcome.BAD_PASSWORD,
                user=user,
                detail="password change",
            )
    status = form_status(form)
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email (Django's view, Okoa's templates and throttled form)."""

    form_class = OkoaPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from an emailed link; never signs in (the second factor stays).

    The link names the account by its opaque code, not by its database id.
    """

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def get_user(self, uidb64: str) -> User | None:
        return User.objects.filter(code=uidb64, is_active=True).first()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_password_change(form.user, address=client_address(self.request), reset=True)
        return response


@login_required
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """List the user's organisations and switch the one they act in."""
    user = signed_in_user(request)
    memberships = active_memberships_for_user(user)
    form = OrganisationChoiceForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_membership()
        request.session[SESSION_KEY] = chosen.pk
        messages.success(request, _("You now work in %(name)s.") % {"name": chosen.organisation})
        return redirect("cases:home")
    current = current_membership(request)
    if current is not None and not form.is_bound:
        form.initial["organisation"] = current.organisation.code
    status = form_status(form)
    return render(
        request,
        "accounts/organisation.html",
        {"form": form, "memberships": memberships, "has_two_factor": has_two_factor(user)},
        status=status,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the member's API tokens and create one; the secret is shown once, in this response."""
    membership = current_membership(request)
    form = ApiTokenForm(request.POST or None) if membership else None
    secret = None
    if membership and form is not None and request.method == "POST":
        if two_factor_required_for(signed_in_user(request)) and not is_verified(request):
            # A token works without a second factor: only a verified session may make one.
            messages.error(request, _("Sign in with your verification code to create a token."))
            return _render_tokens(request, membership, form, status=403)
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
