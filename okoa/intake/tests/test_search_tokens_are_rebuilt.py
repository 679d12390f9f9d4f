"""After a blind-index key rotation, every report's and call's search tokens can be rebuilt from
the decrypted values (``rebuild_intake_indexes``)."""

from okoa.intake.actions import log_hotline_call, rebuild_intake_indexes
from okoa.intake.models import HotlineCall, ReportSearchToken


def test_rebuilding_recreates_the_same_tokens_under_the_same_key(cast, make_report):
    make_report(reporter_phone="0712 345 678", subject_names=["Amina Wekesa"])
    log_hotline_call(cast.ngo, by=cast.operator, category="follow_up", caller_phone="0712345678")
    before = sorted(ReportSearchToken.objects.values_list("kind", "token"))
    call_token = HotlineCall.objects.get().caller_phone_token
    ReportSearchToken.objects.all().delete()
    HotlineCall.objects.update(caller_phone_token=None)

    assert rebuild_intake_indexes() == 2

    assert sorted(ReportSearchToken.objects.values_list("kind", "token")) == before
    assert HotlineCall.objects.get().caller_phone_token == call_token
