"""Notification pages: the signed-in user's notifications, and the desk's contacts.

Notifications carry an event, an opaque reference and a site path only: no person's record is
read here, so these pages leave no access record. Opening one marks it read and follows its
path, where the record's own page checks access and records the read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.views import current_membership, signed_in_user
from okoa.notifications.access import (
    contacts_of,
    get_notification_for_user,
    notifications_for_user,
    require_contacts_admin,
)
from okoa.notifications.actions import mark_all_read, mark_read, set_notification_contacts
from okoa.notifications.forms import NotificationContactsForm

PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    paginator = Paginator(notifications_for_user(signed_in_user(request)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def read(request: HttpRequest, code: str) -> HttpResponse:
    """Mark one notification read; with ``open``, go on to what it is about."""
    user = signed_in_user(request)
    notification = get_notification_for_user(user, code)
    mark_read(notification, by=user)
    if "open" in request.POST:
        return redirect(notification.path)  # a site path, checked when it was created
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    count = mark_all_read(by=signed_in_user(request))
    text = ngettext(
        "%(count)d notification marked read.", "%(count)d notifications marked read.", count
    )
    messages.success(request, text % {"count": count})
    return redirect("notifications:list")


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """Show and set where the organisation's referral desk is emailed and texted."""
    membership = require_contacts_admin(current_membership(request))
    current = contacts_of(membership.organisation)
    initial = {"email": current.email, "phone": current.phone, "version": current.version}
    form = NotificationContactsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        done = try_action(
            form,
            lambda: set_notification_contacts(
                membership.organisation,
                email=values["email"],
                phone=values["phone"],
                by=signed_in_user(request),
                expected_version=values["version"],
            ),
        )
        if done is not None:
            messages.success(request, _("The notification contacts are saved."))
            return redirect("notifications:contacts")
    context = {"form": form, "contacts": current}
    return render(request, "notifications/contacts.html", context, status=form_status(form))
