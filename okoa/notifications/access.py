"""Who may see which notification, and who may set an organisation's notification contacts.

Contract: a notification is its recipient's alone; anyone else's (or a missing one) is the same
``Http404``. Notification contacts are read and set by the organisation's administrator
(``Capability.MANAGE_MEMBERS``); any other member gets ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.notifications.models import Notification, NotificationContacts


def notifications_for_user(user: User):
    """The user's notifications, newest first."""
    return Notification.objects.for_user(user).order_by("-created_at", "-id")


def unread_count_for_user(user: User) -> int:
    """How many of the user's notifications are unread (one query, by ``notification_unread``).

    A plain statement: it runs on every page a member opens, and the ORM took longer to build
    the count than the database to answer it.
    """
    quote = connection.ops.quote_name
    user_id, read_at = (
        quote(str(Notification._meta.get_field(name).get_attname_column()[1]))  # type: ignore[union-attr]
        for name in ("user", "read_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(Notification._meta.db_table)} "  # noqa: S608
            f"WHERE {user_id} = %s AND {read_at} IS NULL",
            [user.pk],
        )
        return int(cursor.fetchone()[0])


def get_notification_for_user(user: User, code: str) -> Notification:
    """The user's notification with ``code``; anyone else's is the same 404 as a missing one."""
    try:
        return Notification.objects.get(user=user, code=code)
    except Notification.DoesNotExist:
        raise Http404 from None


def require_contacts_admin(membership: Membership | None) -> Membership:
    """Return the membership if it may set its organisation's notification contacts."""
    if not membership or not membership.can(Capability.MANAGE_MEMBERS):
        raise PermissionDenied(_("Only the organisation's administrator sets its contacts."))
    return membership


def contacts_of(organisation: Organisation) -> NotificationContacts:
    """The organisation's contacts (an unsaved empty row if none were ever set)."""
    try:
        return NotificationContacts.objects.get(organisation=organisation)
    except NotificationContacts.DoesNotExist:
        return NotificationContacts(organisation=organisation, version=0)
