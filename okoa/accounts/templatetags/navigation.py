"""The site navigation of ``base.html``, rendered once per language, capabilities and page.

Its links and labels are the same for every member with the same capabilities on the same page:
rendering them each time (twenty URL reversals, as many translations and some forty conditions)
was about a tenth of a case list page. The unread notifications badge is put in afterwards, so
a kept navigation never holds a count, nor anything else about a person.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

CAPABILITIES = (
    "can_view_cases",
    "can_edit_cases",
    "can_view_identities",
    "can_view_intake",
    "can_supervise",
    "can_view_statistics",
    "can_manage_members",
)
BADGE = "<!--unread-badge-->"  # where _site_nav.html wants the badge
KEPT = 256  # navigations kept per process; a full store starts again

_navigations: dict[tuple[Any, ...], str] = {}


@register.simple_tag(takes_context=True)
def site_nav(context: template.Context) -> SafeString:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    page = (match.view_name, match.app_name, match.url_name) if match else ("", "", "")
    capabilities = tuple(bool(context.get(name)) for name in CAPABILITIES)
    key = (get_language(), get_script_prefix(), page, capabilities)
    html = _navigations.get(key)
    if html is None:
        html = render_to_string(
            "_site_nav.html",
            {"current": page, **dict(zip(CAPABILITIES, capabilities, strict=True))},
        )
        if len(_navigations) >= KEPT:
            _navigations.clear()
        _navigations[key] = html
    unread = context.get("unread_notification_count")
    count = unread() if callable(unread) else unread
    badge = (
        format_html(
            ' <span class="badge">{}<span class="visually-hidden"> {}</span></span>',
            count,
            _("unread"),
        )
        if count
        else ""
    )
    return mark_safe(html.replace(BADGE, badge))  # noqa: S308 - both parts escaped as rendered
