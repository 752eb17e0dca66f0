"""FIEP Office: the project package and the shared core."""

from .celery import app as celery_app

__all__ = ["celery_app"]
