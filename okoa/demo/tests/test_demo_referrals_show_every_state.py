"""The demo lists services of every demo organisation and has a referral in each state."""

from okoa.directory.models import Service
from okoa.referrals.models import Referral


def test_the_demo_has_services_and_a_referral_in_each_state(demo_output):
    assert Service.objects.filter(is_active=True).values("organisation").distinct().count() >= 5
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    for referral in Referral.objects.all():
        assert referral.consent is not None
        assert referral.shared["basic"]["given_name"]
    assert not Referral.objects.overdue().exists()
