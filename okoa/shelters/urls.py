from django.urls import path

from okoa.shelters import views

app_name = "shelters"
urlpatterns = [
    path("", views.shelter_list, name="list"),
    path("new/", views.new_shelter, name="new"),
    path("check-in/<str:case_code>/", views.check_in_case, name="check_in"),
    path("stays/<str:code>/check-out/", views.check_out_stay, name="check_out"),
    path("<str:code>/", views.shelter_detail, name="detail"),
    path("<str:code>/edit/", views.edit_shelter, name="edit"),
    path("<str:code>/occupancy/", views.occupancy, name="occupancy"),
]
