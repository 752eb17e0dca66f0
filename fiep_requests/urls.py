from django.urls import path

from .views import intake, materials, public, staff

app_name = "fiep_requests"

urlpatterns = [
    path("new/", public.request_new, name="new"),
    path("new/received/", public.request_submitted, name="submitted"),
    path("status/<token:token>/", public.request_status, name="status"),
    path("consent/<token:token>/", public.consent, name="consent"),
    path("materials/", materials.materials, name="materials"),
    path("materials/procedures/", materials.procedures, name="procedures"),
    path(
        "materials/<slug:kind>-<slug:language>.pdf",
        materials.material_download,
        name="material-download",
    ),
    path("enter/", intake.request_enter, name="enter"),
    path("inbox/", staff.inbox, name="inbox"),
    path("inbox/export.csv", staff.inbox_export, name="inbox-export"),
    path(
        "destruction-certificates/",
        staff.destruction_certificates,
        name="destruction-certificates",
    ),
    path("case/<str:reference>/", staff.case_detail, name="case"),
    path("case/<str:reference>/<slug:action>/", staff.case_action, name="case-action"),
]
