"""Permissions of the history import and dispute statistics (imported by reports.rules)."""
