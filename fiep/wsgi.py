"""WSGI entry point (gunicorn fiep.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")
application = get_wsgi_application()
