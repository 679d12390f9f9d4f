from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("site-admin/", admin.site.urls),
    path("accounts/", include("okoa.accounts.urls")),
    path("api/", include("okoa.api.urls")),
    path("audit/", include("okoa.audit.urls")),
    path("retention/", include("okoa.retention.urls")),
    path("people/", include("okoa.people.urls")),
    path("", include("okoa.intake.urls")),
    path("", include("okoa.screening.urls")),
    path("", include("okoa.cases.urls")),
]
