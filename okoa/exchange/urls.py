from django.urls import path

from okoa.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.status, name="status"),
    # The old address of POST /api/exchange/inbox, for partners not yet upgraded
    # (docs/exchange.md); no account, no CSRF token.
    path("inbox/", views.inbox_view, name="inbox"),
    path("partners/<str:code>/ping/", views.ping, name="ping"),
]
