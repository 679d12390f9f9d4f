from django.urls import path

from okoa.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.status, name="status"),
    # Partner installations post envelopes here (docs/exchange.md); no account, no CSRF token.
    path("inbox/", views.inbox_view, name="inbox"),
    path("partners/<str:code>/ping/", views.ping, name="ping"),
]
