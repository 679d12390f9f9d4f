"""A partner's directory becomes local stand-ins (organisations without members) that local
code addresses like any organisation; changes to the directory follow; bad directories change
nothing."""

from __future__ import annotations

from okoa.accounts.models import Membership, Organisation
from okoa.exchange.access import is_local, local_organisations, remote_of
from okoa.exchange.actions import directory_body
from okoa.exchange.models import RefusedMessage, RemoteOrganisation
from okoa.exchange.tests.conftest import register_remote

SAFE_PASSAGE = {"code": "pwaniSafe000001", "name": "Pwani Safe Passage", "kind": "ngo"}
DESK = {"code": "pwaniDesk000002", "name": "Kilifi Counter-Trafficking Desk", "kind": "police"}


def publish(remote, *organisations) -> int:
    sealed = remote.seal(kind="exchange.organisations", body={"organisations": list(organisations)})
    return remote.post(sealed).status_code


def test_each_listed_organisation_gets_a_stand_in_without_members(remote, cast):
    assert publish(remote, SAFE_PASSAGE, DESK) == 200
    desk = RemoteOrganisation.objects.get(remote_code=DESK["code"])
    assert (desk.partner, desk.name, desk.kind, desk.is_active) == (
        remote.partner,
        "Kilifi Counter-Trafficking Desk",
        "police",
        True,
    )
    stand_in = desk.organisation
    assert stand_in.name == "Kilifi Counter-Trafficking Desk · Pwani Safe Passage"
    assert stand_in.kind == "police" and stand_in.is_active
    assert not Membership.objects.filter(organisation=stand_in).exists()
    assert remote_of(stand_in) == desk
    assert remote_of(cast.ngo) is None
    assert not is_local(stand_in) and is_local(cast.ngo)


def test_this_installation_publishes_only_its_own_organisations(remote, cast):
    publish(remote, SAFE_PASSAGE)
    listed = directory_body()["organisations"]
    assert {entry["code"] for entry in listed} == {cast.ngo.code, cast.partner.code}
    assert set(local_organisations()) == {cast.ngo, cast.partner}
    assert all(set(entry) == {"code", "name", "kind"} for entry in listed)


def test_renamed_removed_and_returning_organisations_follow_the_directory(remote):
    publish(remote, SAFE_PASSAGE, DESK)
    stand_ins = Organisation.objects.count()
    renamed = {**DESK, "name": "Kilifi Anti-Trafficking Unit"}
    assert publish(remote, renamed) == 200
    desk = RemoteOrganisation.objects.get(remote_code=DESK["code"])
    assert desk.name == "Kilifi Anti-Trafficking Unit"
    assert desk.organisation.name == "Kilifi Anti-Trafficking Unit · Pwani Safe Passage"
    gone = RemoteOrganisation.objects.get(remote_code=SAFE_PASSAGE["code"])
    assert not gone.is_active and not gone.organisation.is_active
    assert publish(remote, SAFE_PASSAGE, renamed) == 200
    gone.refresh_from_db()
    assert gone.is_active and gone.organisation.is_active
    assert Organisation.objects.count() == stand_ins


def test_a_stand_in_never_takes_a_local_organisations_name(remote, cast):
    publish(
        remote,
        {"code": "sameName0000001", "name": cast.ngo.name + " · Pwani Safe Passage", "kind": "ngo"},
    )
    publish(
        remote,
        {"code": "sameName0000001", "name": cast.ngo.name + " · Pwani Safe Passage", "kind": "ngo"},
        {"code": "sameName0000002", "name": cast.ngo.name + " · Pwani Safe Passage", "kind": "ngo"},
    )
    names = set(RemoteOrganisation.objects.values_list("organisation__name", flat=True))
    assert len(names) == 2 and cast.ngo.name not in names


def test_a_bad_directory_is_refused_and_changes_nothing(remote):
    publish(remote, SAFE_PASSAGE)
    before = list(RemoteOrganisation.objects.values_list("remote_code", "name", "is_active"))
    for bad in (
        [{**DESK, "kind": "spaceship"}],
        [{**DESK, "name": ""}],
        [DESK, DESK],
        ["not an object"],
    ):
        assert publish(remote, *bad) == 422
    sealed = remote.seal(kind="exchange.organisations", body={"organisations": "all of them"})
    assert remote.post(sealed).status_code == 422
    assert list(RemoteOrganisation.objects.values_list("remote_code", "name", "is_active")) == (
        before
    )
    assert RefusedMessage.objects.filter(reason="invalid_body").count() == 5


def test_a_partner_manages_only_its_own_stand_ins(remote, cast):
    other = register_remote("lamu-outreach", "Lamu Outreach")
    publish(remote, SAFE_PASSAGE)
    publish(other, {**SAFE_PASSAGE, "name": "Lamu Outreach Centre"})
    publish(other)  # Lamu lists nothing any more: only its own stand-in goes inactive
    assert RemoteOrganisation.objects.get(partner=remote.partner).is_active
    assert not RemoteOrganisation.objects.get(partner=other.partner).is_active
