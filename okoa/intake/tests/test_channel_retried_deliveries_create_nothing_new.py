"""A callback the gateway delivers again (a timeout, a retry) gets the same answer and creates
nothing: no second report, no second acknowledgement."""

from okoa.intake.models import OutboundSms, Report, UssdSession

from .channels import post_sms, post_ussd, screen


def test_a_repeated_last_ussd_request_answers_the_same_screen(client, gateway, routed):
    first = screen(post_ussd(client, "1*1*3*1*4*1"))
    again = screen(post_ussd(client, "1*1*3*1*4*1"))

    assert again == first
    assert Report.objects.count() == 1
    assert UssdSession.objects.count() == 1


def test_a_repeated_ussd_step_answers_the_same_screen(client, gateway, routed):
    assert screen(post_ussd(client, "1*1*3")) == screen(post_ussd(client, "1*1*3"))
    assert not Report.objects.exists()


def test_another_ussd_session_is_another_report(client, gateway, routed):
    screen(post_ussd(client, "1*2*1", session="ATUid_one"))
    screen(post_ussd(client, "1*2*1", session="ATUid_two"))

    assert Report.objects.count() == 2


def test_a_repeated_sms_makes_one_report_and_one_acknowledgement(
    client, gateway, routed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post_sms(client, message_id="ATXid_77", text="Help, my sister is locked in")
        again = post_sms(client, message_id="ATXid_77", text="Help, my sister is locked in")

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == again.content
    assert Report.objects.count() == 1
    assert OutboundSms.objects.count() == 1
    assert OutboundSms.objects.get().status == OutboundSms.Status.SENT
