from django.urls import path

from okoa.intake import views
from okoa.intake.channels import webhooks

app_name = "intake"
urlpatterns = [
    # Public: no account needed.
    path("report/", views.public_report, name="public_report"),
    path("report/status/", views.public_status, name="public_status"),
    # Staff.
    path("intake/", views.queue, name="queue"),
    path("intake/reports/new/", views.new_report, name="new_report"),
    path("intake/reports/<str:code>/", views.report_detail, name="report"),
    path("intake/reports/<str:code>/edit/", views.edit_report, name="edit_report"),
    path("intake/reports/<str:code>/assign/", views.assign, name="assign"),
    path("intake/reports/<str:code>/status/", views.change_status, name="change_status"),
    path("intake/reports/<str:code>/close/", views.close, name="close"),
    path("intake/reports/<str:code>/refer/", views.refer, name="refer"),
    path("intake/reports/<str:code>/cases/new/", views.open_case, name="open_case"),
    path("intake/reports/<str:code>/groups/new/", views.open_group, name="open_group"),
    path("intake/attachments/<str:code>/", views.attachment, name="attachment"),
    path("intake/groups/<str:code>/", views.group_detail, name="group"),
    path("intake/groups/<str:code>/people/new/", views.add_to_group, name="add_to_group"),
    path("intake/calls/", views.calls, name="calls"),
    path("intake/calls/new/", views.new_call, name="new_call"),
    path("intake/calls/<str:code>/", views.call_detail, name="call"),
    path("intake/calls/<str:code>/report/", views.report_from_call, name="report_from_call"),
]

# Africa's Talking callbacks (okoa/intake/channels/webhooks.py): the gateway proves itself with
# the shared secret, in the path or in a header, and/or its address.
urlpatterns += [
    path("webhooks/africastalking/ussd/", webhooks.ussd_callback, name="ussd_callback"),
    path("webhooks/africastalking/sms/", webhooks.sms_callback, name="sms_callback"),
    path(
        "webhooks/africastalking/<str:secret>/ussd/",
        webhooks.ussd_callback,
        name="ussd_callback_with_secret",
    ),
    path(
        "webhooks/africastalking/<str:secret>/sms/",
        webhooks.sms_callback,
        name="sms_callback_with_secret",
    ),
]
