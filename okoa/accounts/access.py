"""Which membership a request or an API token acts through.

Every read of organisation data starts from a membership: the user alone grants nothing.
An inactive membership or organisation counts as no membership.
"""

from __future__ import annotations

from django.utils import timezone

from okoa.accounts.models import ApiToken, Membership, User

SESSION_KEY = "okoa_membership"


def active_memberships_for_user(user: User) -> list[Membership]:
    """Return the user's usable memberships, in a stable order."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def get_membership_for_session(user: User, chosen_id: int | None) -> Membership | None:
    """Return the membership chosen in the session, or the user's first one."""
    memberships = active_memberships_for_user(user)
    for membership in memberships:
        if membership.pk == chosen_id:
            return membership
    return memberships[0] if memberships else None


def get_membership_for_api_token(secret: str) -> Membership | None:
    """Return the membership behind a usable API token, recording its use."""
    token = (
        ApiToken.objects.select_related("membership__organisation", "membership__user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.is_usable():
        return None
    membership = token.membership
    if not (
        membership.is_active and membership.organisation.is_active and membership.user.is_active
    ):
        return None
    now = timezone.now()
    # Write at most once a minute: the API must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return membership
