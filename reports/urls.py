from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("history/", include("reports.history.urls")),
]
