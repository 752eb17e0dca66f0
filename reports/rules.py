"""Permissions of the reports app."""

from .history import rules as history_rules  # noqa: F401  (registers its permissions)
