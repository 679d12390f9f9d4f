from django.urls import path

from okoa.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.operation_list, name="list"),
    path("new/", views.new_operation, name="new"),
    path("<str:code>/", views.operation_detail, name="detail"),
    path("<str:code>/edit/", views.edit_operation, name="edit"),
    path("<str:code>/partners/new/", views.new_partner, name="new_partner"),
    path("<str:code>/import/", views.import_manifest_file, name="import"),
    path("<str:code>/print/", views.printable_manifest, name="print"),
    path(
        "<str:code>/people/<str:case_code>/status/",
        views.change_status,
        name="change_status",
    ),
]
