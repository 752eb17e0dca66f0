from django.urls import include, path

from .views import dashboard, records, runs

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/<str:fmt>/", dashboard.export, name="export"),
    path("records/<slug:figure>/", records.figure_records, name="records"),
    path("spotlight/", dashboard.spotlight, name="spotlight-download"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/new/", runs.run_create, name="run-create"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("runs/<int:pk>/download/", runs.run_download, name="run-download"),
    path("history/", include("reports.history.urls")),
]
