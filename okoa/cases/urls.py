from django.urls import path

from okoa.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.new_case, name="new"),
    path("cases/export/", views.export_cases, name="export"),
    path("cases/new/<str:person_code>/", views.open_case_for_person, name="new_for_person"),
    path("cases/<str:code>/", views.case_detail, name="detail"),
    path("cases/<str:code>/edit/", views.edit_case, name="edit"),
    path("cases/<str:code>/notes/", views.add_note, name="add_note"),
    path("cases/<str:code>/status/", views.change_status, name="change_status"),
    path("cases/<str:code>/assign/", views.assign, name="assign"),
]
