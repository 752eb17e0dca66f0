"""URLs of the program-history import and dispute-resolution statistics (owned by the
history part of issue 7). Included by reports/urls.py, names live in the "reports" namespace.
"""

from django.urls import path  # noqa: F401

urlpatterns: list = []
