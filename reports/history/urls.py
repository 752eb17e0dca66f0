"""URLs of the program-history import and dispute-resolution statistics (owned by the
history part of issue 7). Included by reports/urls.py, names live in the "reports" namespace.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.history_upload, name="history-import"),
    path("import/<int:pk>/", views.history_upload_detail, name="history-upload"),
    path(
        "import/<int:pk>/progress/", views.history_upload_progress, name="history-upload-progress"
    ),
    path("disputes/", views.disputes_list, name="disputes-list"),
    path("disputes/add/", views.disputes_edit, name="disputes-add"),
    path("disputes/<int:start_year>/", views.disputes_edit, name="disputes-edit"),
]
