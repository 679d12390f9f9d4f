from django.urls import path

from okoa.people import views

app_name = "people"
urlpatterns = [
    path("new/", views.new_person, name="new"),
    path("<str:code>/", views.person_detail, name="detail"),
    path("<str:code>/edit/", views.edit_person, name="edit"),
    path("<str:code>/dependants/new/", views.add_dependant, name="add_dependant"),
]
