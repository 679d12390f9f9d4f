from django.urls import path

from okoa.retention import views

app_name = "retention"
urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("people/<str:person_code>/request/", views.ask_for_erasure, name="request"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:code>/", views.request_detail, name="request_detail"),
    path("requests/<str:code>/approve/", views.approve, name="approve"),
    path("requests/<str:code>/reject/", views.reject, name="reject"),
    path("requests/<str:code>/withdraw/", views.withdraw, name="withdraw"),
]
