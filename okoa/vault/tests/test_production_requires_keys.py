import pytest
from django.core.exceptions import ImproperlyConfigured

from okoa.lib import crypto


def test_production_without_keys_refuses_to_build_a_key_ring(settings):
    settings.PRODUCTION = True
    settings.OKOA_ENCRYPTION_KEYS = None
    settings.OKOA_BLIND_INDEX_KEY = None
    with pytest.raises(ImproperlyConfigured, match="required in production"):
        crypto.build_key_ring()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("k1", "must look like"),
        ("k1:not-base64!!", "not valid base64"),
        ("k1:" + "QUFB", "must be 32 bytes"),
        (f"k1:{crypto.new_key_text()},k1:{crypto.new_key_text()}", "appears twice"),
    ],
)
def test_malformed_keys_are_refused_with_a_clear_message(settings, keys, message):
    settings.OKOA_ENCRYPTION_KEYS = keys
    settings.OKOA_BLIND_INDEX_KEY = crypto.new_key_text()
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.build_key_ring()
