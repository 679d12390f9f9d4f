from django.urls import path

from okoa.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.day, name="day"),
    path("team/", views.team, name="team"),
]
