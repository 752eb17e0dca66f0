#!/usr/bin/env python
"""Django's command-line utility for FIEP Office."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - settings module chosen first (Django's manage.py)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
