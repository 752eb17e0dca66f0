"""The project's URLs plus the bench's own baseline views (bench/measure.py uses these)."""

from django.urls import path

from bench import views
from fiep.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/bare-insert/", views.bare_insert, name="bench-bare-insert"),
    path("bench/form-validation/", views.form_validation, name="bench-form-validation"),
    *project_urlpatterns,
]
