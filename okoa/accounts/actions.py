"""Changes to organisations, users, memberships and API tokens.

Each action is one transaction and takes the actor (``by``) where a person makes the change;
setting up accounts from the command line or the demo passes ``by=None``.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from okoa.accounts.models import ApiToken, Membership, Organisation, User


@transaction.atomic
def create_organisation(*, name: str, kind: str, reference_prefix: str) -> Organisation:
    """Register an organisation."""
    organisation = Organisation(name=name, kind=kind, reference_prefix=reference_prefix)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def create_user(
    *,
    email: str,
    full_name: str,
    password: str | None,
    organisation: Organisation | None = None,
    role: str | None = None,
    preferred_language: str = "en",
    is_site_admin: bool = False,
) -> User:
    """Create a user and, when given, their membership of ``organisation`` with ``role``."""
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name,
        preferred_language=preferred_language,
        is_staff=is_site_admin,
        is_superuser=is_site_admin,
    )
    if organisation is not None:
        if role is None:
            raise ValueError("A role is required with an organisation.")
        add_member(organisation, user=user, role=role)
    return user


@transaction.atomic
def add_member(organisation: Organisation, *, user: User, role: str) -> Membership:
    """Give ``user`` a role in ``organisation`` (or change the role they have)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return membership


@transaction.atomic
def issue_api_token(membership: Membership, *, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and never stored."""
    secret = "okoa_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=secret[:12],
        digest=ApiToken.digest_of(secret),
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(token: ApiToken) -> None:
    """Revoke a token; revoking a revoked token is a no-op."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
