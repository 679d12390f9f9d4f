"""A malformed callback is answered 400 and saves nothing."""

import pytest

from okoa.intake.models import OutboundSms, Report

from .channels import PHONE, WEBHOOK_SECRET

SECRET = {"HTTP_X_OKOA_WEBHOOK_SECRET": WEBHOOK_SECRET}
USSD = {"sessionId": "ATUid_1", "serviceCode": "*384#", "phoneNumber": PHONE, "text": "1*2*1"}
SMS = {"from": PHONE, "to": "21195", "text": "Msaada", "date": "2026-03-02", "id": "ATXid_1"}


def without(data, name):
    return {key: value for key, value in data.items() if key != name}


@pytest.mark.parametrize(
    "data",
    [
        without(USSD, "sessionId"),
        without(USSD, "phoneNumber"),
        without(USSD, "serviceCode"),
        {**USSD, "phoneNumber": "not a phone"},
        {**USSD, "sessionId": "x" * 101},
        {**USSD, "text": "1*" * 300},
        {},
    ],
    ids=["no session", "no phone", "no code", "bad phone", "long session", "long text", "empty"],
)
def test_a_malformed_ussd_callback_is_refused(client, gateway, routed, data):
    response = client.post("/webhooks/africastalking/ussd/", data, **SECRET)

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        without(SMS, "id"),
        without(SMS, "from"),
        without(SMS, "to"),
        {**SMS, "from": "12"},
        {**SMS, "id": "x" * 201},
        {**SMS, "text": "x" * 5001},
    ],
    ids=["no id", "no sender", "no recipient", "bad sender", "long id", "long text"],
)
def test_a_malformed_sms_callback_is_refused(client, gateway, routed, data):
    response = client.post("/webhooks/africastalking/sms/", data, **SECRET)

    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not OutboundSms.objects.exists()


def test_a_callback_that_is_not_a_form_is_refused(client, gateway, routed):
    response = client.post(
        "/webhooks/africastalking/sms/", SMS, content_type="application/json", **SECRET
    )

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_callback_by_get_is_refused(client, gateway, routed):
    response = client.get("/webhooks/africastalking/ussd/", USSD, **SECRET)

    assert response.status_code == 405
