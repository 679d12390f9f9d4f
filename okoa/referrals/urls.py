from django.urls import path

from okoa.referrals import statistics_views, views

app_name = "referrals"
urlpatterns = [
    path("received/", views.received, name="received"),
    path("sent/", views.sent, name="sent"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("cases/<str:case_code>/", views.case_referrals, name="case"),
    path("cases/<str:case_code>/consent/", views.new_consent, name="new_consent"),
    path("cases/<str:case_code>/consent/override/", views.override_consent, name="override"),
    path(
        "cases/<str:case_code>/consent/<str:code>/withdraw/",
        views.withdraw_consent_view,
        name="withdraw_consent",
    ),
    path("cases/<str:case_code>/new/", views.new_referral, name="refer"),
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/csv/", statistics_views.statistics_csv, name="statistics_csv"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/accept/", views.accept, name="accept"),
    path("<str:code>/decline/", views.decline, name="decline"),
    path("<str:code>/complete/", views.complete, name="complete"),
    path("<str:code>/withdraw/", views.withdraw, name="withdraw"),
]
