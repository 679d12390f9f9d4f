from django.urls import path

from okoa.screening import views

app_name = "screening"
urlpatterns = [
    path("cases/<str:case_code>/screening/new/", views.new_screening, name="new"),
    path("cases/<str:case_code>/screenings/", views.screening_history, name="history"),
    path("cases/<str:case_code>/screenings/<str:code>/", views.screening_detail, name="detail"),
    path("cases/<str:case_code>/screenings/<str:code>/decision/", views.decide, name="decide"),
]
