from django.urls import path

from okoa.audit import views

app_name = "audit"
urlpatterns = [
    path("reads/", views.access_log, name="reads"),
    path("changes/", views.change_log, name="changes"),
]
