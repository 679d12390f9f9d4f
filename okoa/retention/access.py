"""Who may set the retention period, ask for erasures, and see and decide erasure requests.

Contract: retention records are reached only through these functions; another organisation's
request, a missing one and one the role may not see all raise the same Http404.

* The retention period: organisation administrators (MANAGE_MEMBERS).
* Asking for an erasure: members who may edit cases (EDIT_CASES), from the person's file.
* The queue of requests, and deciding them: supervisors and organisation administrators
  (SUPERVISE). A member who asked also sees their own request (to follow it or withdraw it).
  Data analysts and hotline operators see none.

Recording each read (``record_access`` with ``record_kind="erasure_request"``, and
``"person"`` where a name is shown) is the caller's job, as for cases.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.people.access import get_person_for_user
from okoa.people.models import PERSON_FIELDS_NOT_LISTED, Person
from okoa.retention.models import ErasureRequest, RetentionPolicy

DECIDED_SHOWN = 50


def can_manage_retention(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.MANAGE_MEMBERS)  # type: ignore[union-attr]


def can_decide_erasures(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.SUPERVISE)  # type: ignore[union-attr]


def can_request_erasure(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.EDIT_CASES)  # type: ignore[union-attr]


def get_policy_for_admin(membership: Membership | None) -> RetentionPolicy | None:
    """Return the organisation's retention policy (None if never set); 404 for non-admins."""
    if not can_manage_retention(membership):
        raise Http404
    assert membership is not None
    return RetentionPolicy.objects.filter(organisation_id=membership.organisation_id).first()


def get_person_for_erasure_request(membership: Membership | None, code: str) -> Person:
    """Return the person whose erasure the member may ask for (the person's write rules)."""
    if not can_request_erasure(membership):
        raise Http404
    return get_person_for_user(membership, code, write=True)


def erasure_requests_for_user(membership: Membership | None) -> QuerySet[ErasureRequest]:
    """Return the requests the member may see: the organisation's for those who decide, their
    own for those who may ask, none for anybody else."""
    if can_decide_erasures(membership):
        assert membership is not None
        return ErasureRequest.objects.filter(organisation_id=membership.organisation_id)
    if can_request_erasure(membership):
        assert membership is not None
        return ErasureRequest.objects.filter(
            Q(organisation_id=membership.organisation_id) & Q(requested_by_id=membership.user_id)
        )
    return ErasureRequest.objects.none()


def get_erasure_request_for_user(
    membership: Membership | None, code: str, *, decide: bool = False
) -> ErasureRequest:
    """Return the request with ``code`` if the member may see it (or decide it, with
    ``decide``)."""
    if decide and not can_decide_erasures(membership):
        raise Http404
    erasure_request = (
        erasure_requests_for_user(membership)
        .select_related("person", "requested_by", "decided_by")
        .filter(code=code)
        .first()
    )
    if erasure_request is None:
        raise Http404
    return erasure_request


def erasure_queue_for_user(
    membership: Membership | None,
) -> tuple[list[ErasureRequest], list[ErasureRequest]]:
    """Return the organisation's pending requests (oldest first) and the latest decided ones
    (newest first); 404 for members who do not decide erasures."""
    if not can_decide_erasures(membership):
        raise Http404
    requests = erasure_requests_for_user(membership).select_related(
        "person", "requested_by", "decided_by"
    )
    pending = list(
        requests.filter(status=ErasureRequest.Status.PENDING).order_by("requested_at", "id")
    )
    decided = list(
        requests.exclude(status=ErasureRequest.Status.PENDING).order_by("-decided_at", "-id")[
            :DECIDED_SHOWN
        ]
    )
    return pending, decided


def erasure_requests_waiting_for_user(membership: Membership | None) -> QuerySet[ErasureRequest]:
    """The organisation's requests waiting for a decision, oldest first, for those who decide
    (none for anybody else); with the person and the requester loaded."""
    if not can_decide_erasures(membership):
        return ErasureRequest.objects.none()
    return (
        erasure_requests_for_user(membership)
        .filter(status=ErasureRequest.Status.PENDING)
        .select_related("person", "requested_by")
        # A line shows the person's name only: nothing else is decrypted.
        .defer(
            "reason",
            "decision_note",
            *(f"person__{name}" for name in PERSON_FIELDS_NOT_LISTED),
        )
        .order_by("requested_at", "id")
    )
