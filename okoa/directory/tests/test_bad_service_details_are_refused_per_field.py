"""A service with bad details is refused with an error on each field, and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from okoa.directory.actions import create_service
from okoa.directory.models import Service

GOOD: dict[str, Any] = {
    "kind": "shelter",
    "name": "Safe House",
    "nationwide": True,
    "contact_phone": "0700 000 180",
}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"kind": "spa"}, "kind"),
        ({"nationwide": False}, "counties"),
        ({"min_age": 30, "max_age": 18}, "max_age"),
        ({"min_age": 130}, "min_age"),
        ({"sexes": ["female", "robot"]}, "sexes"),
        ({"capacity": -1}, "capacity"),
        ({"contact_phone": "call us"}, "contact_phone"),
        ({"contact_phone": "", "contact_email": "not-an-address"}, "contact_email"),
        ({"contact_phone": ""}, "contact_phone"),
    ],
)
def test_bad_details_are_refused_on_their_field(cast, values, field):
    with pytest.raises(ValidationError) as refused:
        create_service(cast.ngo, by=cast.admin, **(GOOD | values))

    assert field in refused.value.message_dict
    assert not Service.objects.exists()


def test_the_form_shows_the_errors_on_the_page(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        "/directory/new/",
        {"kind": "shelter", "name": "Safe House", "min_age": "40", "max_age": "20"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"counties", "max_age", "contact_phone"} <= set(errors)
    assert not Service.objects.exists()


def test_eligibility_is_read_from_the_age_range_and_sexes(cast):
    service = create_service(
        cast.ngo, by=cast.admin, **(GOOD | {"min_age": 18, "max_age": 35, "sexes": ["female"]})
    )

    assert service.serves_age(18) and service.serves_age(35)
    assert not service.serves_age(17) and service.serves_age(None) is None
    assert service.serves_sex("female") and not service.serves_sex("male")
    assert service.serves_sex("unknown")
    assert service.age_range_label() == "18 to 35"
