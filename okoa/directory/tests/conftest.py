"""Fixtures of the directory tests: an administrator at the partner organisation."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from okoa.accounts.actions import create_user
from okoa.accounts.models import User


@pytest.fixture
def partner_admin(cast) -> User:
    return create_user(
        email="admin@mwangaza.test",
        full_name="Kioko Partner Admin",
        password=PASSWORD,
        organisation=cast.partner,
        role="organisation_admin",
    )
