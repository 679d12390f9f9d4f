from django.urls import path

from okoa.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="find"),
    path("new/", views.new_service, name="new_service"),
    path("<str:code>/", views.service_detail, name="service"),
    path("<str:code>/edit/", views.edit_service, name="edit"),
    path("<str:code>/active/", views.set_active, name="set_active"),
]
