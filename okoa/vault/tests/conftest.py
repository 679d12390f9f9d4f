import pytest

from okoa.lib import crypto
from okoa.vault import keys


@pytest.fixture
def swap_keys(settings):
    """Reconfigure the key ring in a test and put the usual one back afterwards."""

    def swap(*, encryption: str | None = None, index: str | None = None) -> None:
        settings.OKOA_ENCRYPTION_KEYS = encryption
        settings.OKOA_BLIND_INDEX_KEY = index
        crypto.reset_key_ring()
        keys.forget_verification()

    yield swap
    crypto.reset_key_ring()
    keys.forget_verification()
