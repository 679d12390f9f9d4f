from django.urls import path

from okoa.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read_all"),
    path("contacts/", views.contacts, name="contacts"),
    path("<str:code>/read/", views.read, name="read"),
]
