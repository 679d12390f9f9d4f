from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Site administrators sign in through Okoa's own page (throttled, with the second factor);
    # the admin's password-only form would be a way around both.
    path(
        "site-admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("site-admin/", admin.site.urls),
    path("accounts/", include("okoa.accounts.urls")),
    path("api/", include("okoa.api.urls")),
    path("audit/", include("okoa.audit.urls")),
    path("operations/", include("okoa.operations.urls")),
    path("people/", include("okoa.people.urls")),
    path("retention/", include("okoa.retention.urls")),
    path("shelters/", include("okoa.shelters.urls")),
    path("directory/", include("okoa.directory.urls")),
    path("referrals/", include("okoa.referrals.urls")),
    path("notifications/", include("okoa.notifications.urls")),
    path("exchange/", include("okoa.exchange.urls")),
    path("dashboard/", include("okoa.dashboards.urls")),
    path("", include("okoa.intake.urls")),
    path("", include("okoa.screening.urls")),
    path("", include("okoa.care.urls")),
    path("", include("okoa.cases.urls")),
]
