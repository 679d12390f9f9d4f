from typing import Any

from django.http import HttpRequest

from okoa.accounts.models import Capability


def membership(request: HttpRequest) -> dict[str, Any]:
    """Expose the current membership and what it may do to templates."""
    current = getattr(request, "membership", None)
    if current is not None and not current:
        current = None
    return {
        "membership": current,
        "can_view_cases": bool(current and current.can(Capability.VIEW_CASES)),
        "can_view_identities": bool(current and current.can(Capability.VIEW_IDENTITIES)),
        "can_edit_cases": bool(current and current.can(Capability.EDIT_CASES)),
        "can_manage_members": bool(current and current.can(Capability.MANAGE_MEMBERS)),
        "can_supervise": bool(current and current.can(Capability.SUPERVISE)),
        "can_view_intake": bool(current and current.can(Capability.VIEW_INTAKE)),
        "can_view_statistics": bool(current and current.can(Capability.VIEW_STATISTICS)),
    }
