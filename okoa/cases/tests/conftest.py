"""The case screens use the shared `places` and `make_case` fixtures of the root conftest."""

import pytest

from okoa.cases.forms import forget_filter_choices


@pytest.fixture(autouse=True)
def fresh_filter_choices():
    """Each test reads the filter options from its own reference rows (they are cached)."""
    forget_filter_choices()
    yield
    forget_filter_choices()
