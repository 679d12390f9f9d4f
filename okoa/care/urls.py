from django.urls import path

from okoa.care import views

app_name = "care"
urlpatterns = [
    path("cases/<str:case_code>/care/", views.care_plan, name="plan"),
    path("cases/<str:case_code>/care/assessments/", views.assessments, name="assessments"),
    path(
        "cases/<str:case_code>/care/assessments/new/", views.new_assessment, name="new_assessment"
    ),
    path("cases/<str:case_code>/care/goals/new/", views.new_goal, name="new_goal"),
    path("cases/<str:case_code>/care/goals/<str:code>/", views.edit_goal, name="goal"),
    path("cases/<str:case_code>/care/services/new/", views.new_service, name="new_service"),
    path("cases/<str:case_code>/care/services/<str:code>/", views.edit_service, name="service"),
]
urlpatterns += [
    path("cases/<str:case_code>/follow-ups/", views.follow_ups, name="follow_ups"),
    path(
        "cases/<str:case_code>/follow-ups/start/",
        views.start_follow_ups,
        name="start_reintegration",
    ),
    path("cases/<str:case_code>/follow-ups/<str:code>/", views.record_visit, name="visit"),
    path("follow-ups/overdue/", views.overdue_follow_ups, name="overdue"),
    path("follow-ups/policy/", views.follow_up_policy, name="follow_up_policy"),
]
urlpatterns += [
    path("cases/<str:case_code>/closure/", views.closure, name="closure"),
]
urlpatterns += [
    path("cases/<str:case_code>/legal/", views.legal, name="legal"),
    path("cases/<str:case_code>/legal/hearings/", views.new_hearing, name="new_hearing"),
]
urlpatterns += [
    path("cases/<str:case_code>/livelihood/", views.livelihood, name="livelihood"),
]
