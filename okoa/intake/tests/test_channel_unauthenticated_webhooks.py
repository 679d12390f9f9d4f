"""Only the gateway may call the webhooks: a request without the shared secret, or from an
address outside the allow-list, is answered 403, saves nothing, and is logged without its
payload."""

import logging

import pytest

from okoa.intake.models import Report

from .channels import PHONE, WEBHOOK_SECRET

USSD = {"sessionId": "ATUid_1", "serviceCode": "*384#", "phoneNumber": PHONE, "text": "1*2*1"}
SMS = {"from": PHONE, "to": "21195", "text": "Nisaidie Wanjiku", "id": "ATXid_1"}


@pytest.mark.parametrize(
    ("path", "data"),
    [("/webhooks/africastalking/ussd/", USSD), ("/webhooks/africastalking/sms/", SMS)],
    ids=["ussd", "sms"],
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_OKOA_WEBHOOK_SECRET": "guess"}],
    ids=["no secret", "wrong secret"],
)
def test_a_callback_without_the_secret_is_forbidden(
    client, gateway, routed, caplog, path, data, headers
):
    caplog.set_level(logging.DEBUG)

    response = client.post(path, data, **headers)

    assert response.status_code == 403
    assert not Report.objects.exists()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "not the gateway" in logged
    for value in ("712345678", "Wanjiku", "guess"):
        assert value not in logged


def test_a_wrong_secret_in_the_path_is_forbidden(client, gateway, routed):
    response = client.post("/webhooks/africastalking/wrong-secret/sms/", SMS)

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_secret_in_the_path_is_accepted(client, gateway, routed):
    response = client.post(f"/webhooks/africastalking/{WEBHOOK_SECRET}/sms/", SMS)

    assert response.status_code == 200
    assert Report.objects.count() == 1


def test_an_address_outside_the_allow_list_is_forbidden(client, gateway, routed):
    gateway.OKOA_WEBHOOK_ALLOWED_IPS = ["196.201.214.0/24"]

    inside = client.post(
        "/webhooks/africastalking/sms/",
        SMS,
        HTTP_X_OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET,
        REMOTE_ADDR="196.201.214.9",
    )
    outside = client.post(
        "/webhooks/africastalking/sms/",
        {**SMS, "id": "ATXid_2"},
        HTTP_X_OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET,
        REMOTE_ADDR="203.0.113.5",
    )

    assert (inside.status_code, outside.status_code) == (200, 403)
    assert Report.objects.count() == 1


def test_the_allow_list_alone_is_enough_when_no_secret_is_set(client, gateway, routed):
    gateway.OKOA_WEBHOOK_SECRET = ""
    gateway.OKOA_WEBHOOK_ALLOWED_IPS = ["196.201.214.0/24"]

    response = client.post("/webhooks/africastalking/sms/", SMS, REMOTE_ADDR="196.201.214.9")

    assert response.status_code == 200


def test_with_neither_secret_nor_allow_list_every_callback_is_forbidden(client, gateway, routed):
    gateway.OKOA_WEBHOOK_SECRET = ""
    gateway.OKOA_WEBHOOK_ALLOWED_IPS = []

    response = client.post("/webhooks/africastalking/sms/", SMS)

    assert response.status_code == 403
