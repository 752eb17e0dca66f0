from django.urls import path

from . import views

app_name = "fiep_requests"

urlpatterns = [
    path("new/", views.request_new, name="new"),
]
