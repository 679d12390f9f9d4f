"""An email or SMS says the event, the reference and the link: never a name or a case detail."""

from django.core import mail

from okoa.cases.actions import update_case
from okoa.notifications.actions import notify_organisation
from okoa.notifications.models import OutboundEmail, OutboundSms
from okoa.notifications.tests.conftest import SITE


def test_bodies_hold_only_the_label_the_reference_and_the_link(
    cast, desk, make_case, django_capture_on_commit_callbacks
):
    case = make_case(given_name="Nafula", family_name="Wekesa")
    update_case(
        case,
        by=cast.caseworker,
        narrative="Taken to Muscat by an agent from Eldoret; passport held by the employer.",
    )
    # A referral of this case, as the referrals app makes it: its own opaque code, its own path.
    code = "Xr4nT8vLq2Zs"

    with django_capture_on_commit_callbacks(execute=True):
        notify_organisation(
            cast.partner, event="referral_received", reference=code, path=f"/referrals/{code}/"
        )

    link = f"{SITE}/referrals/{code}/"
    [email] = mail.outbox
    assert email.subject == f"Okoa: New referral received {code}"
    assert email.body == (
        f"New referral received\n\nReference: {code}\n\n{link}\n\n"
        "Sign in to Okoa to see it. This message says nothing more, on purpose."
    )
    sms = OutboundSms.objects.get()
    assert sms.message == f"Okoa: New referral received. Ref {code}. {link}"
    assert len(sms.message) <= 160

    stored = OutboundEmail.objects.get()
    texts = [email.subject, email.body, stored.subject, stored.body, sms.message]
    forbidden = [
        "Nafula",
        "Wekesa",
        "Muscat",
        "Eldoret",
        "passport",
        case.reference,
        case.code,
        cast.ngo.name,
        cast.caseworker.full_name,
    ]
    for text in texts:
        for word in forbidden:
            assert word not in text
